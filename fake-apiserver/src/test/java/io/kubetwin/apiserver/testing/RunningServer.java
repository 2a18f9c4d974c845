package io.kubetwin.apiserver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A fake apiserver on an ephemeral 127.0.0.1 port with its own Vert.x, for tests that talk to it over TLS
 * with {@link ApiClient}s. Close it in {@code @AfterAll}.
 */
public final class RunningServer implements AutoCloseable {
    private final Vertx vertx;
    private final FakeApiServer server;

    private RunningServer(Vertx vertx, FakeApiServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Starts a server with the default configuration (RBAC, no anonymous access settings changed). */
    public static RunningServer start() throws Exception {
        Vertx vertx = Vertx.vertx();
        FakeApiServer server = FakeApiServer.start(vertx, ApiServerConfig.builder().build())
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return new RunningServer(vertx, server);
    }

    public FakeApiServer server() {
        return server;
    }

    /** kubernetes-admin in system:masters. */
    public ApiClient admin() {
        return clientFor("kubernetes-admin", "system:masters");
    }

    /** A client with a fresh certificate from the cluster CA: CN = user, one O per group. */
    public ApiClient clientFor(String user, String... groups) {
        Credential c = server.clusterCa().issue(CertificateSpec.client(user).organizations(List.of(groups))
                .validFor(Duration.ofDays(1)).build());
        return withCredential(c);
    }

    public ApiClient withCredential(Credential credential) {
        return ApiClient.withCertificate(server.url(), server.clusterCa().certificate(), credential.certificate(),
                credential.privateKey());
    }

    /** Polls {@code call} until its answer satisfies {@code done} (10s at most) and returns that answer. */
    public static ApiClient.Response eventually(Supplier<ApiClient.Response> call, Predicate<ApiClient.Response> done) {
        Instant deadline = Instant.now().plusSeconds(10);
        ApiClient.Response last = call.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not reached in 10s; last answer " + last.code() + " " + last.body());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            last = call.get();
        }
        return last;
    }

    /** The JSON of a 200 answer's body at a path, "" when absent. */
    public static String text(ApiClient.Response r, String pointer) {
        JsonNode n = r.json().at(pointer);
        return n.isMissingNode() || n.isNull() ? "" : n.asText();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
