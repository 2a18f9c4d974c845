package io.kubetwin.scenarios.client;

import io.kubetwin.scenarios.pki.Kubeconfig;
import io.kubetwin.scenarios.pki.PemCredential;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTP client for one identity, built from a kubeconfig. Thread-safe; requests may run concurrently (HTTP/2
 * multiplexes them on one connection).
 */
public final class ApiClient {

    public static final String USER_AGENT = "kubetwin-scenarios/0.1";

    private final HttpClient http;
    private final String server;
    private final String token;

    public ApiClient(Kubeconfig kubeconfig) {
        this(kubeconfig, HttpClient.Version.HTTP_1_1);
    }

    public ApiClient(Kubeconfig kubeconfig, HttpClient.Version version) {
        this.server = kubeconfig.server().replaceAll("/+$", "");
        this.token = kubeconfig.token();
        this.http = HttpClient.newBuilder()
                .version(version)
                .connectTimeout(Duration.ofSeconds(10))
                .sslContext(sslContext(kubeconfig.caPem(), kubeconfig.clientCertificate()))
                .build();
    }

    public String server() {
        return server;
    }

    /** Sends a request; {@code body} may be null. Blocks until the whole response is read. */
    public ApiResponse send(String method, String pathAndQuery, Map<String, List<String>> headers, String body,
                            String contentType) throws IOException, InterruptedException {
        try {
            return sendAsync(method, pathAndQuery, headers, body, contentType).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    public CompletableFuture<ApiResponse> sendAsync(String method, String pathAndQuery,
                                                    Map<String, List<String>> headers, String body,
                                                    String contentType) {
        var builder = HttpRequest.newBuilder(URI.create(server + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .header("User-Agent", USER_AGENT)
                .header("Accept", "application/json, */*");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        headers.forEach((name, values) -> values.forEach(v -> builder.header(name, v)));
        var publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        if (body != null) {
            builder.header("Content-Type", contentType == null ? "application/json" : contentType);
        }
        builder.method(method, publisher);
        long start = System.nanoTime();
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            var map = new TreeMap<String, List<String>>();
            r.headers().map().forEach((k, v) -> map.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            return new ApiResponse(r.statusCode(), map, r.body(), (System.nanoTime() - start) / 1_000_000);
        });
    }

    public ApiResponse get(String path) throws IOException, InterruptedException {
        return send("GET", path, Map.of(), null, null);
    }

    public ApiResponse post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, Map.of(), json, "application/json");
    }

    static SSLContext sslContext(String caPem, PemCredential client) {
        try {
            var trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            if (caPem != null) {
                int i = 0;
                for (var cert : PemCredential.parseCertificates(caPem)) {
                    trust.setCertificateEntry("ca" + i++, cert);
                }
            }
            var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(caPem == null ? null : trust);
            javax.net.ssl.KeyManager[] keyManagers = null;
            if (client != null) {
                var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(client.keyStore(), "changeit".toCharArray());
                keyManagers = new javax.net.ssl.KeyManager[] {
                        io.kubetwin.pki.KeyStores.alwaysPresenting((javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
            }
            var context = SSLContext.getInstance("TLS");
            context.init(keyManagers, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build TLS context: " + e.getMessage(), e);
        }
    }

}
