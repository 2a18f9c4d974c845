package io.kubetwin.apiserver.testing;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.apiserver.server.ServerHooks;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The one test fixture for a fake apiserver: started with {@link FakeApiServer#startBlocking} on 127.0.0.1 and an
 * ephemeral port (with its own Vert.x, so that test classes stay independent and parallel-safe), with clients
 * for the usual actors over real TLS.
 *
 * <p>A plain {@link AutoCloseable} rather than a JUnit extension, on purpose: it is to the extension to come
 * ({@code @KubeTwin}, {@code @RegisterExtension}) what {@code WireMockServer} is to {@code WireMockExtension}, the
 * object the extension starts in {@code beforeAll}/{@code beforeEach} and closes after. Today's tests need what an
 * extension would get in the way of: configurations built from files written in {@code @BeforeAll} or under
 * {@code @TempDir}, one server per parameter, servers restarted on the same directory and start-up failures.
 * They hold it in a static field ({@code @BeforeAll}/{@code @AfterAll}, per class) or in try-with-resources (per
 * test). {@link #start(UnaryOperator)} takes the same {@link ApiServerConfig.Builder} customiser the extension's
 * builder will.
 */
public final class TestApiServer implements AutoCloseable {
    private final FakeApiServer server;

    private TestApiServer(FakeApiServer server) {
        this.server = server;
    }

    /**
     * Starts a server and waits until it serves.
     *
     * @throws RuntimeException the server's own start-up failure (for tests of bad configuration)
     */
    public static TestApiServer start(ApiServerConfig config) {
        return new TestApiServer(FakeApiServer.startBlocking(config));
    }

    /** The embedded defaults ({@link ApiServerConfig#builder()}) as changed by {@code customiser}. */
    public static TestApiServer start(UnaryOperator<ApiServerConfig.Builder> customiser) {
        return start(customiser.apply(ApiServerConfig.builder()).build());
    }

    /** The embedded defaults: RBAC, anonymous on, an in-memory PKI, no auditing. */
    public static TestApiServer start() {
        return start(ApiServerConfig.builder().build());
    }

    public FakeApiServer server() {
        return server;
    }

    /** The Vert.x instance the server runs on (closed with it). */
    public Vertx vertx() {
        return server.vertx();
    }

    /** A client certificate signed by the cluster CA: CN = user, one O per group. */
    public Credential credential(String user, String... groups) {
        return server.clusterCa().issue(CertificateSpec.client(user).organizations(List.of(groups))
                .keyType(KeyType.EC_P256).build());
    }

    /** kubernetes-admin in system:masters. */
    public ApiClient admin() {
        return as(FakeApiServer.ADMIN_USER, "system:masters");
    }

    /** A client with a fresh certificate from the cluster CA: CN = user, one O per group. */
    public ApiClient as(String user, String... groups) {
        return with(credential(user, groups));
    }

    public ApiClient with(Credential credential) {
        return ApiClient.withCertificate(server.url(), server.clusterCa().certificate(), credential.certificate(),
                credential.privateKey());
    }

    /** No credentials at all. */
    public ApiClient anonymous() {
        return ApiClient.anonymous(server.url(), server.clusterCa().certificate());
    }

    /** A bearer token. */
    public ApiClient token(String token) {
        return ApiClient.withToken(server.url(), server.clusterCa().certificate(), token);
    }

    /**
     * A route on the server's own chain, served after every pipeline stage (authentication, audit, impersonation,
     * authorization) as if it were one of the API's handlers: for tests that need a handler the API does not have
     * (one that fails, one that writes behind the request state's back).
     */
    public Route handlerRoute(String path) {
        return ServerHooks.handlerRoute(server, path);
    }

    /** How many audit events the server's backends could not store so far. */
    public long missedAuditEvents() {
        return ServerHooks.missedAuditEvents(server);
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

    /** Stops the server and its Vert.x; returns once the port is free and the audit backends are flushed. */
    @Override
    public void close() {
        server.close();
    }
}
