package io.kubetwin.apiserver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test client that talks to the fake apiserver the way kubectl does: real TLS, verifying the
 * serving certificate against the cluster CA, with an optional client certificate or bearer token.
 */
public final class ApiClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http;
    private final String baseUrl;
    private final String token;
    private final Map<String, List<String>> defaultHeaders = new LinkedHashMap<>();

    private ApiClient(HttpClient http, String baseUrl, String token) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /** A client presenting {@code clientCert} (may be null for none) and trusting {@code ca}. */
    public static ApiClient withCertificate(String baseUrl, X509Certificate ca, X509Certificate clientCert, PrivateKey clientKey) {
        return new ApiClient(build(ca, clientCert, clientKey, false), baseUrl, null);
    }

    /**
     * A client that presents its certificate even when its issuer is not among the CAs the server
     * advertises (as curl and openssl do; Go and Java clients would send none).
     */
    public static ApiClient alwaysPresenting(String baseUrl, X509Certificate ca, X509Certificate clientCert, PrivateKey clientKey) {
        return new ApiClient(build(ca, clientCert, clientKey, true), baseUrl, null);
    }

    public static ApiClient withToken(String baseUrl, X509Certificate ca, String token) {
        return new ApiClient(build(ca, null, null, false), baseUrl, token);
    }

    public static ApiClient anonymous(String baseUrl, X509Certificate ca) {
        return new ApiClient(build(ca, null, null, false), baseUrl, null);
    }

    /** Adds a header sent with every request (e.g. Impersonate-User); returns this. */
    public ApiClient header(String name, String value) {
        defaultHeaders.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        return this;
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

    public Response send(String method, String path, String body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean acceptGiven = false;
        boolean userAgentGiven = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            acceptGiven |= headers[i].equalsIgnoreCase("Accept");
            userAgentGiven |= headers[i].equalsIgnoreCase("User-Agent");
        }
        if (!userAgentGiven) {
            b.header("User-Agent", "kubetwin-test/1.0");
        }
        if (!acceptGiven) {
            b.header("Accept", "application/json");
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        defaultHeaders.forEach((name, values) -> values.forEach(v -> b.header(name, v)));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpClient build(X509Certificate ca, X509Certificate clientCert, PrivateKey clientKey, boolean always) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (clientCert != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", clientKey, new char[0], new Certificate[] {clientCert});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            javax.net.ssl.KeyManager[] keyManagers = kmf == null ? null : kmf.getKeyManagers();
            if (always && keyManagers != null) {
                keyManagers = new javax.net.ssl.KeyManager[] {
                        io.kubetwin.pki.KeyStores.alwaysPresenting((javax.net.ssl.X509ExtendedKeyManager) keyManagers[0])};
            }
            ssl.init(keyManagers, tmf.getTrustManagers(), new SecureRandom());
            return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build TLS client", e);
        }
    }

    /** A response: code, body, headers (names lower-case). */
    public record Response(int code, String body, Map<String, List<String>> headers) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        /** The Status message of an error response. */
        public String message() {
            return json().path("message").asText();
        }
    }

}
