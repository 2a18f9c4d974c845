package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** The embedding API's two lifecycles: blocking with its own Vert.x, and Future-based on the caller's. */
@Isolated("one test counts the JVM's threads")
class FakeApiServerTest {
    /** The prefixes of the threads a server starts: Vert.x's (event loops, workers, checker) and the audit backends'. */
    private static final List<String> SERVER_THREADS = List.of("vert.x-", "vertx-", "audit-");

    private static ApiClient admin(FakeApiServer server) {
        Credential c = server.clusterCa()
                .issue(CertificateSpec.client(FakeApiServer.ADMIN_USER)
                        .organizations(List.of("system:masters"))
                        .keyType(KeyType.EC_P256)
                        .build());
        return ApiClient.withCertificate(
                server.url(), server.clusterCa().certificate(), c.certificate(), c.privateKey());
    }

    /** Binding the port again is the proof that the listener is gone. */
    private static void assertPortFree(int port) throws Exception {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, socket.getLocalPort());
        }
    }

    private static <T> T get(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void startBlockingServesAndCloseFreesThePortAndItsVertx() throws Exception {
        int port;
        Vertx vertx;
        try (FakeApiServer server =
                FakeApiServer.startBlocking(ApiServerConfig.builder().build())) {
            port = server.port();
            vertx = server.vertx();
            assertEquals(200, admin(server).get("/api/v1/namespaces/default").code());
        }
        assertPortFree(port);
        // the Vert.x it created is closed with it: nothing more can be deployed on it
        assertThrows(Exception.class, () -> get(vertx.deployVerticle(new VerticleBase() {})));
    }

    /** Every thread that came with the server (its Vert.x's, its audit backends') ends with close(). */
    @Test
    void closeEndsTheThreadsTheServerStarted(@TempDir Path dir) throws Exception {
        Path policy = Files.writeString(
                dir.resolve("policy.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n");
        ApiServerConfig config = ApiServerConfig.builder()
                .auditPolicyFile(policy)
                .auditLogPath(dir.resolve("audit.log").toString())
                .build();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Set<Thread> started;
        try (FakeApiServer server = FakeApiServer.startBlocking(config)) {
            assertEquals(200, admin(server).get("/api").code());
            started = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t))
                    .filter(t -> SERVER_THREADS.stream().anyMatch(t.getName()::startsWith))
                    .collect(Collectors.toSet());
        }
        assertEquals(
                Set.of("audit-", "vert.x-"),
                started.stream()
                        .map(t -> t.getName().startsWith("audit-") ? "audit-" : "vert.x-")
                        .collect(Collectors.toSet()),
                "threads seen");
        for (Thread t : started) {
            // a pool's last worker leaves a moment after the pool reports itself terminated
            t.join(5_000);
            assertFalse(t.isAlive(), t.getName() + " still runs");
        }
    }

    @Test
    void closeIsIdempotent() throws Exception {
        FakeApiServer server =
                FakeApiServer.startBlocking(ApiServerConfig.builder().build());
        server.close();
        server.close();
        assertSame(server.stop(), server.stop());
    }

    @Test
    void startOnTheCallersVertxAndStopLeavesItRunning() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            FakeApiServer first =
                    get(FakeApiServer.start(vertx, ApiServerConfig.builder().build()));
            int port = first.port();
            assertEquals(200, admin(first).get("/api").code());
            get(first.stop());
            assertPortFree(port);
            // the caller's Vert.x still serves: a second server starts on it, and close() leaves it running too
            try (FakeApiServer second =
                    get(FakeApiServer.start(vertx, ApiServerConfig.builder().build()))) {
                assertEquals(200, admin(second).get("/api").code());
            }
            assertEquals("still running", get(vertx.executeBlocking(() -> "still running")));
        } finally {
            get(vertx.close());
        }
    }

    @Test
    void blockingCallsAreRefusedOnTheEventLoop() throws Exception {
        try (FakeApiServer server =
                FakeApiServer.startBlocking(ApiServerConfig.builder().build())) {
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            server.vertx().runOnContext(v -> {
                try {
                    server.close();
                    refused.complete(null);
                } catch (IllegalStateException e) {
                    refused.complete(e);
                }
            });
            assertEquals(
                    "FakeApiServer.close blocks: call it off the event loop",
                    refused.get(10, TimeUnit.SECONDS).getMessage());
            assertEquals(200, admin(server).get("/api").code(), "still serving");
        }
    }

    @Test
    void aFailedBlockingStartThrowsTheServersMessage() {
        ApiServerConfig config =
                ApiServerConfig.builder().authorizationModes(List.of("Bogus")).build();
        RuntimeException e = assertThrows(RuntimeException.class, () -> FakeApiServer.startBlocking(config));
        assertEquals("authorization-mode \"Bogus\" is not a valid mode", e.getMessage());
    }
}
