package io.kubetwin.apiserver.audit.backend;

import static io.kubetwin.apiserver.audit.backend.Events.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.audit.TestTls;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import io.kubetwin.apiserver.audit.reader.AuditWebhookReceiver;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook backend against the in-process receiver, over TLS with the kubeconfig it writes. */
class WebhookBackendTest {
    private Vertx vertx;
    private AuditWebhookReceiver receiver;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        receiver = AuditWebhookReceiver.start(vertx)
                .toCompletionStage()
                .toCompletableFuture()
                .join();
    }

    @AfterEach
    void stop() {
        receiver.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private WebhookSink sink(Duration backoff) throws Exception {
        return new WebhookSink(
                vertx, WebhookKubeconfig.load(receiver.writeKubeconfig(dir.resolve("webhook.yaml"))), backoff);
    }

    @Test
    void postsAnEventListLikeKubeApiserver() throws Exception {
        WebhookSink sink = sink(Duration.ofMillis(10));
        List<AuditEvent> sent = events("w", 2);
        assertTrue(sink.write(sent));
        sink.close();
        AuditWebhookReceiver.Received post = receiver.requests().get(0);
        assertEquals("POST", post.method());
        assertEquals("/audit?timeout=30s", post.uri());
        Map<String, String> h = post.headers();
        assertEquals("application/json", h.get("Content-Type"));
        assertEquals("application/json, */*", h.get("Accept"));
        assertEquals("Go-http-client/1.1", h.get("User-Agent"));
        assertEquals(new String(AuditEventJson.toEventList(sent)), new String(post.body()));
        assertEquals(
                List.of("w0", "w1"),
                receiver.events().events().stream().map(AuditEvent::auditId).toList());
    }

    @Test
    void retriesWithBackoffUntilTheReceiverAccepts() throws Exception {
        receiver.respondWith(500);
        WebhookSink sink = sink(Duration.ofMillis(20));
        Thread writer = new Thread(() -> sink.write(events("r", 1)));
        writer.start();
        assertTrue(receiver.awaitRequests(2, Duration.ofSeconds(10)));
        receiver.respondWith(200);
        writer.join(20_000);
        assertFalse(writer.isAlive());
        assertEquals(0, sink.missedEvents());
        assertEquals(1, receiver.events().size());
        assertTrue(receiver.requests().size() >= 3);
        sink.close();
    }

    @Test
    void givesUpAfterFiveAttemptsAndCountsTheEvents() throws Exception {
        receiver.respondWith(500);
        WebhookSink sink = sink(Duration.ofMillis(1));
        assertFalse(sink.write(events("g", 3)));
        assertEquals(5, receiver.requests().size());
        assertEquals(3, sink.missedEvents());
        sink.close();
    }

    @Test
    void aDownReceiverNeitherBlocksNorCrashesAndIsReported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String kubeconfig = receiver.kubeconfig().replace(":" + receiver.port() + "/", ":" + port + "/");
        Path file = Files.writeString(dir.resolve("down.yaml"), kubeconfig);
        WebhookSink sink = new WebhookSink(vertx, WebhookKubeconfig.load(file), Duration.ofSeconds(10));
        BufferedBackend backend = new BufferedBackend(sink, BatchConfig.webhookDefaults());
        for (int i = 0; i < 50; i++) {
            assertTrue(
                    backend.processEvents(events("d" + i + "-", 2))
                            .toCompletableFuture()
                            .isDone(),
                    "batch mode never waits for the receiver");
        }
        // close flushes: one attempt (no retry once closing), then the events are reported as missed
        backend.close();
        assertEquals(100, backend.missedEvents());
    }

    @Test
    void batchesHoldAtMostMaxBatchSizeEvents() throws Exception {
        BufferedBackend backend = new BufferedBackend(
                sink(Duration.ofMillis(10)), new BatchConfig(10000, 400, Duration.ofSeconds(30), true, 10, 15, true));
        backend.processEvents(events("b", 1000));
        backend.close();
        List<Integer> sizes = receiver.requests().stream()
                .map(r -> AuditLog.fromEventLists(List.of(r.body())).size())
                .sorted()
                .toList();
        assertEquals(List.of(200, 400, 400), sizes);
        assertEquals(1000, receiver.events().size());
        assertEquals(0, backend.missedEvents());
    }

    @Test
    void clientCertificateAndTokenFromTheKubeconfig() throws Exception {
        String kubeconfig = receiver.kubeconfig().replace("  user: {}", "  user:\n    token: s3cret");
        Path file = Files.writeString(dir.resolve("token.yaml"), kubeconfig);
        WebhookSink sink = new WebhookSink(vertx, WebhookKubeconfig.load(file), Duration.ofMillis(10));
        assertTrue(sink.write(events("c", 1)));
        sink.close();
        assertEquals("Bearer s3cret", receiver.requests().get(0).headers().get("Authorization"));
        assertNull(receiver.requests().get(0).clientCertificateSubject());
    }

    @Test
    void presentsTheKubeconfigsClientCertificate() throws Exception {
        TestTls clientCa = TestTls.generate();
        String[] client = clientCa.client("CN=kube-apiserver,O=kubetwin");
        try (AuditWebhookReceiver mtls = AuditWebhookReceiver.start(vertx, clientCa.caPem())
                .toCompletionStage()
                .toCompletableFuture()
                .join()) {
            Base64.Encoder b64 = Base64.getEncoder();
            String kubeconfig = mtls.kubeconfig()
                    .replace(
                            "  user: {}",
                            "  user:\n    client-certificate-data: " + b64.encodeToString(client[0].getBytes())
                                    + "\n    client-key-data: " + b64.encodeToString(client[1].getBytes()));
            Path file = Files.writeString(dir.resolve("mtls.yaml"), kubeconfig);
            WebhookSink sink = new WebhookSink(vertx, WebhookKubeconfig.load(file), Duration.ofMillis(10));
            assertTrue(sink.write(events("m", 1)));
            sink.close();
            assertEquals("O=kubetwin,CN=kube-apiserver", mtls.requests().get(0).clientCertificateSubject());
        }
    }

    @Test
    void kubeconfigErrorsInClientGosWords() {
        Exception e = Assertions.assertThrows(
                WebhookKubeconfig.InvalidKubeconfig.class, () -> WebhookKubeconfig.load(Path.of("/nonexistent")));
        assertEquals("stat /nonexistent: no such file or directory", e.getMessage());
    }
}
