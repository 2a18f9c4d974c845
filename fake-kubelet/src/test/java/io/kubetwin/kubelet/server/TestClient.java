package io.kubetwin.kubelet.server;

import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/** A curl-like test client: trusts the serving CA and presents its certificate whatever issuers the server lists. */
final class TestClient {
    private TestClient() {}

    static HttpResponse<String> send(
            String url, String method, X509Certificate servingCa, Credential client, String bearer) throws Exception {
        SSLContext tls = KeyStores.clientContext(List.of(servingCa), client);
        HttpClient http = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
