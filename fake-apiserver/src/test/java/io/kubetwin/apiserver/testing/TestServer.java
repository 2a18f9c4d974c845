package io.kubetwin.apiserver.testing;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.vertx.core.Vertx;
import java.util.List;

/** A fake apiserver on 127.0.0.1 and an ephemeral port, with clients for the usual actors. */
public final class TestServer implements AutoCloseable {
    private final Vertx vertx;
    private final FakeApiServer server;

    private TestServer(Vertx vertx, FakeApiServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    public static TestServer start(ApiServerConfig config) {
        Vertx vertx = Vertx.vertx();
        try {
            FakeApiServer server = FakeApiServer.start(vertx, config).toCompletionStage().toCompletableFuture().get();
            return new TestServer(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("fake apiserver did not start", e);
        }
    }

    public static TestServer start() {
        return start(ApiServerConfig.builder().build());
    }

    /** The Vert.x instance the server runs on (closed with it). */
    public Vertx vertx() {
        return vertx;
    }

    public FakeApiServer server() {
        return server;
    }

    /** A client certificate signed by the cluster CA. */
    public Credential credential(String user, String... groups) {
        return server.clusterCa().issue(CertificateSpec.client(user).organizations(List.of(groups))
                .keyType(KeyType.EC_P256).build());
    }

    public ApiClient admin() {
        return as("kubernetes-admin", "system:masters");
    }

    public ApiClient as(String user, String... groups) {
        return with(credential(user, groups));
    }

    public ApiClient with(Credential credential) {
        return ApiClient.withCertificate(server.url(), server.clusterCa().certificate(), credential.certificate(),
                credential.privateKey());
    }

    public ApiClient anonymous() {
        return ApiClient.anonymous(server.url(), server.clusterCa().certificate());
    }

    public ApiClient token(String token) {
        return ApiClient.withToken(server.url(), server.clusterCa().certificate(), token);
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
