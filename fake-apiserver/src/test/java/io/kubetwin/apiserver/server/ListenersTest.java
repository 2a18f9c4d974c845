package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.KeyType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One HTTPS server per event loop on one port: the first binds port 0, the others share the port it got, and new
 * connections are spread over their event loops (so requests use every core).
 */
class ListenersTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void connectionsAreSpreadOverTheServersOfOnePort() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("kubernetes", KeyType.EC_P256, Duration.ofDays(1));
        Credential serving = ca.issue(CertificateSpec.server("kube-apiserver")
                .ipAddresses("127.0.0.1")
                .keyType(KeyType.EC_P256)
                .build());
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setSsl(true)
                .setKeyCertOptions(KeyCertOptions.wrap(KeyStores.servingKeyManager(serving)));
        Listeners listeners = Listeners.open(
                        vertx,
                        options,
                        req -> req.response().end(Thread.currentThread().getName()),
                        req -> req.response().setStatusCode(400).end(),
                        3)
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertEquals(3, listeners.count());
        assertTrue(listeners.port() > 0);

        SSLContext tls = KeyStores.clientContext(List.of(ca.certificate()), null);
        Set<String> threads = new HashSet<>();
        // a new client per request: a new connection, which Vert.x gives to the next server in turn
        for (int i = 0; i < 6; i++) {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(tls)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + listeners.port() + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
            assertTrue(answer.body().startsWith("vert.x-eventloop-thread-"), answer.body());
            threads.add(answer.body());
        }
        assertEquals(3, threads.size(), "event loops that served: " + threads);

        listeners.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        listeners.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
