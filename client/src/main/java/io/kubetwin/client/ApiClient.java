package io.kubetwin.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.Kubeconfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An HTTP client for one identity against a kube-apiserver, real or fake: java.net.http over TLS, trusting the
 * cluster CA, with a client certificate or a bearer token or nothing. The TLS context is
 * {@link KeyStores#clientContext}: the certificate is presented whatever issuers the server lists, so an untrusted or
 * expired certificate reaches the server's x509 verification (401) instead of being withheld.
 *
 * <p>It speaks HTTP/1.1, not kubectl's HTTP/2: kube-apiserver ends an HTTP/2 connection (GOAWAY) right after a
 * failed authentication, and JDK 17's client then reports the exchange as failed instead of returning the 401 that
 * was sent. kubectl steps and tests exercise HTTP/2.
 *
 * <p>The scenario runner and the fakes' tests both use it. Immutable and thread-safe: requests may run concurrently;
 * {@link #header} returns a new client.
 */
public final class ApiClient {
    /**
     * Sent unless a request sets its own. The audit logs recorded from the reference apiserver under
     * fake-apiserver's {@code golden/} carry it, as do the field managers ({@code kubetwin-test}) derived from it.
     */
    public static final String USER_AGENT = "kubetwin-test/1.0";
    /** Sent unless a request sets its own: JSON first, anything else (plain-text health checks, metrics) accepted. */
    public static final String ACCEPT = "application/json, */*";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final String server;
    private final String token;
    private final Map<String, List<String>> headers;

    private ApiClient(HttpClient http, String server, String token, Map<String, List<String>> headers) {
        this.http = http;
        this.server = server.replaceAll("/+$", "");
        this.token = token;
        this.headers = headers;
    }

    private static ApiClient create(
            String server, Collection<X509Certificate> trust, Credential credential, String token) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .sslContext(KeyStores.clientContext(trust, credential))
                .build();
        return new ApiClient(http, server, token, Map.of());
    }

    /**
     * A client for the current context of {@code kubeconfig}: its server, its CA (the JDK's roots when it has none),
     * and its user's client certificate and bearer token. A basic-auth {@code username} is not sent (kube-apiserver
     * has no basic-auth authenticator), so {@link Kubeconfig#anonymous}'s user is anonymous here too.
     */
    public static ApiClient of(Kubeconfig kubeconfig) {
        return create(
                kubeconfig.server(),
                kubeconfig.certificateAuthorities(),
                kubeconfig.clientCredential().orElse(null),
                kubeconfig.token().orElse(null));
    }

    /** A client presenting {@code clientCert} and its key, trusting {@code ca}. */
    public static ApiClient withCertificate(
            String server, X509Certificate ca, X509Certificate clientCert, PrivateKey clientKey) {
        return create(server, List.of(ca), new Credential(clientCert, clientKey), null);
    }

    /** A client sending {@code Authorization: Bearer token}, trusting {@code ca}. */
    public static ApiClient withToken(String server, X509Certificate ca, String token) {
        return create(server, List.of(ca), null, token);
    }

    /** A client with no credentials, trusting {@code ca}. */
    public static ApiClient anonymous(String server, X509Certificate ca) {
        return create(server, List.of(ca), null, null);
    }

    /** A client like this one that also sends {@code name: value} with every request (e.g. Impersonate-User). */
    public ApiClient header(String name, String value) {
        Map<String, List<String>> more = new LinkedHashMap<>(headers);
        List<String> values = new ArrayList<>(more.getOrDefault(name, List.of()));
        values.add(value);
        more.put(name, List.copyOf(values));
        return new ApiClient(http, server, token, Map.copyOf(more));
    }

    /** The server URL, without a trailing slash. */
    public String server() {
        return server;
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, json, "application/json");
    }

    public Response put(String path, String json) {
        return send("PUT", path, json, "application/json");
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response patch(String path, String body, String contentType) {
        return send("PATCH", path, body, contentType);
    }

    /**
     * Sends a request and blocks until the whole response is read. {@code body} and {@code contentType} may be null;
     * {@code headerPairs} are name, value, name, value... Failures to connect or read are {@link UncheckedIOException}.
     */
    public Response send(String method, String path, String body, String contentType, String... headerPairs) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            extra.computeIfAbsent(headerPairs[i], k -> new ArrayList<>()).add(headerPairs[i + 1]);
        }
        return send(method, path, body, contentType, extra);
    }

    /** {@link #send(String, String, String, String, String...)} with the headers as a map (a header may repeat). */
    public Response send(
            String method, String path, String body, String contentType, Map<String, List<String>> requestHeaders) {
        try {
            return sendAsync(method, path, body, contentType, requestHeaders).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(method + " " + path + ": " + io.getMessage(), io);
            }
            throw e;
        }
    }

    /**
     * Sends a request without blocking. A request header named like a default one ({@code User-Agent},
     * {@code Accept}) replaces it; a body without {@code contentType} is sent as {@code application/json}.
     */
    public CompletableFuture<Response> sendAsync(
            String method, String path, String body, String contentType, Map<String, List<String>> requestHeaders) {
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.put("User-Agent", List.of(USER_AGENT));
        all.put("Accept", List.of(ACCEPT));
        if (token != null) {
            all.put("Authorization", List.of("Bearer " + token));
        }
        if (body != null) {
            all.put("Content-Type", List.of(contentType == null ? "application/json" : contentType));
        }
        all.putAll(headers);
        all.putAll(requestHeaders);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .timeout(REQUEST_TIMEOUT)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        all.forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        long start = System.nanoTime();
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Response(
                        r.statusCode(), r.body(), r.headers().map(), (System.nanoTime() - start) / 1_000_000));
    }

    /**
     * A GET whose answer is read as bytes (Kubernetes' protobuf encoding and other binary media types), sent with
     * {@code accept} as its Accept header. Failures to connect or read are {@link UncheckedIOException}.
     */
    public BinaryResponse getBytes(String path, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path))
                .timeout(REQUEST_TIMEOUT)
                .GET();
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.put("User-Agent", List.of(USER_AGENT));
        if (token != null) {
            all.put("Authorization", List.of("Bearer " + token));
        }
        all.putAll(headers);
        all.put("Accept", List.of(accept));
        all.forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        try {
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new BinaryResponse(
                    r.statusCode(),
                    r.body(),
                    r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException("GET " + path + ": interrupted", new IOException(e));
        }
    }

    /** An answer read as bytes, with its Content-Type ("" without one). */
    public record BinaryResponse(int code, byte[] body, String contentType) {}

    /**
     * Streams a long-running GET (a watch: one JSON event per line) to {@code onLine}, on the HTTP client's
     * threads, line by line as they arrive. The future completes with the status code when the server ends the
     * stream (or at once for an error answer, whose body is then passed as lines too), and fails when the
     * connection does. To stop listening, throw from {@code onLine}: the stream is closed and the future fails.
     */
    public CompletableFuture<Integer> streamLines(String path, Consumer<String> onLine) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(server + path)).GET();
        request.header("User-Agent", USER_AGENT).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .thenApply(r -> {
                    try (Stream<String> lines = r.body()) {
                        lines.forEach(onLine);
                    }
                    return r.statusCode();
                });
    }

    /**
     * One response.
     *
     * @param code    the HTTP status code
     * @param body    the body as text
     * @param headers header values by lower-case name (looked up case-insensitively)
     * @param millis  time from sending to the whole body read
     */
    public record Response(int code, String body, Map<String, List<String>> headers, long millis) {
        private static final ObjectMapper JSON = new ObjectMapper();

        public Response {
            Map<String, List<String>> lower = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            headers = Collections.unmodifiableMap(lower);
        }

        /** The body as JSON; fails when it is not JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        /** The body as JSON, or empty when it is blank or not JSON. */
        public Optional<JsonNode> optionalJson() {
            if (body == null || body.isBlank()) {
                return Optional.empty();
            }
            try {
                return Optional.of(JSON.readTree(body));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** The first value of a header, null when absent. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** All values of a header joined with {@code ,} (how HTTP folds a repeated field); empty when absent. */
        public Optional<String> headerLine(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(String.join(",", values));
        }

        /** The {@code message} of a JSON body (a Status), "" when it has none; fails when the body is not JSON. */
        public String message() {
            return json().path("message").asText();
        }

        /** The Status reason, when the body is a Status. */
        public Optional<String> statusReason() {
            return status().map(j -> j.path("reason").asText(""));
        }

        /** The Status message, when the body is a Status. */
        public Optional<String> statusMessage() {
            return status().map(j -> j.path("message").asText(""));
        }

        private Optional<JsonNode> status() {
            return optionalJson().filter(j -> "Status".equals(j.path("kind").asText()));
        }
    }
}
