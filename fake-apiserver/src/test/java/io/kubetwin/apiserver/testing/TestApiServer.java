package io.kubetwin.apiserver.testing;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.apiserver.server.ServerHooks;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one test fixture for a fake apiserver: a {@link FakeApiServer#startBlocking} server on 127.0.0.1 and an
 * ephemeral port, with its own Vert.x (test classes stay independent and parallel-safe), and clients for the usual
 * actors over real TLS.
 *
 * <p>The fixture of this module's own tests; users have the public extension of the {@code kubetwin-junit} module
 * ({@code @KubeTwin}, {@code KubeTwinExtension}, {@code KubeTwinServer}), which grew from this one. Both keep their
 * server lifecycle in {@link FakeApiServer#startBlocking} and {@link FakeApiServer#close()}; this one stays because
 * fake-apiserver's tests cannot depend on a module that depends on fake-apiserver (Maven refuses the cycle), and
 * because it offers what the public API must not: the Vert.x instance, routes on the chain, the store.
 *
 * <p>Modelled on WireMock's {@code WireMockExtension}: a JUnit 5 extension made by a small builder and registered
 * with {@code @RegisterExtension}, which starts the server before the tests and closes it after, and which is also
 * the object the tests talk to:
 * <pre>{@code
 * @RegisterExtension
 * static final TestApiServer cluster = TestApiServer.builder()
 *         .config(b -> b.tokenAuthFile(tokens()))      // applied to ApiServerConfig.builder() at each start
 *         .build();                                    // per class: started before @BeforeAll methods
 * }</pre>
 * In a static field the server serves the whole class (started before the {@code @BeforeAll} methods, so they can
 * seed it); with {@link Builder#perMethod()}, or in an instance field, each test gets a fresh one. A test method
 * may also take the running fixture as a parameter of type {@code TestApiServer}. The customiser runs when the server starts, after JUnit has set static
 * {@code @TempDir} fields, so it may write the files the configuration names.
 *
 * <p>Tests whose lifecycle is not "one server around the tests" (a server per parameter, a restart on the same
 * directory, a start-up that must fail) use the same fixture directly: {@link #start} returns it running, and
 * {@link #close()} (try-with-resources) stops it.
 */
public final class TestApiServer
        implements AutoCloseable,
                BeforeAllCallback,
                AfterAllCallback,
                BeforeEachCallback,
                AfterEachCallback,
                ParameterResolver {
    /** Changes to the embedded defaults ({@link ApiServerConfig#builder()}); may write the files they name. */
    @FunctionalInterface
    public interface Customiser {
        ApiServerConfig.Builder apply(ApiServerConfig.Builder builder) throws Exception;
    }

    private final Customiser customiser;
    private final boolean perMethod;
    /** The running server, or null; set and cleared by JUnit's callbacks, which run one at a time. */
    private volatile FakeApiServer server;

    private volatile boolean startedForMethod;

    private TestApiServer(Customiser customiser, boolean perMethod) {
        this.customiser = customiser;
        this.perMethod = perMethod;
    }

    /** An extension to register with {@code @RegisterExtension}: per class unless {@link Builder#perMethod()}. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Customiser customiser = b -> b;
        private boolean perMethod;

        private Builder() {}

        /** What to change in the embedded defaults: RBAC, anonymous on, an in-memory PKI, no auditing. */
        public Builder config(Customiser customiser) {
            this.customiser = customiser;
            return this;
        }

        /** A fresh server for each test method (state never leaks from one test to the next). */
        public Builder perMethod() {
            this.perMethod = true;
            return this;
        }

        public TestApiServer build() {
            return new TestApiServer(customiser, perMethod);
        }
    }

    /**
     * Starts a server with {@code config} and waits until it serves, for tests that manage the lifecycle themselves.
     *
     * @throws RuntimeException the server's own start-up failure (for tests of bad configuration)
     */
    public static TestApiServer start(ApiServerConfig config) {
        return start(b -> config.toBuilder());
    }

    /** {@link #start(ApiServerConfig)} with the embedded defaults as changed by {@code customiser}. */
    public static TestApiServer start(Customiser customiser) {
        TestApiServer fixture = new TestApiServer(customiser, false);
        fixture.open();
        return fixture;
    }

    /** {@link #start(ApiServerConfig)} with the embedded defaults: RBAC, anonymous on, an in-memory PKI, no auditing. */
    public static TestApiServer start() {
        return start(b -> b);
    }

    private void open() {
        ApiServerConfig config;
        try {
            config = customiser.apply(ApiServerConfig.builder()).build();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("test server configuration: " + e.getMessage(), e);
        }
        server = FakeApiServer.startBlocking(config);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!perMethod) {
            open();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // per method, or registered in an instance field (JUnit calls no beforeAll there)
        if (perMethod || server == null) {
            open();
            startedForMethod = true;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (startedForMethod) {
            startedForMethod = false;
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestApiServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        running();
        return this;
    }

    private FakeApiServer running() {
        FakeApiServer s = server;
        if (s == null) {
            throw new IllegalStateException("the test apiserver is not running: register it with @RegisterExtension "
                    + "or start it with TestApiServer.start");
        }
        return s;
    }

    public FakeApiServer server() {
        return running();
    }

    /** The Vert.x instance the server runs on (closed with it). */
    public Vertx vertx() {
        return running().vertx();
    }

    /** A client certificate signed by the cluster CA: CN = user, one O per group. */
    public Credential credential(String user, String... groups) {
        return running()
                .clusterCa()
                .issue(CertificateSpec.client(user)
                        .organizations(List.of(groups))
                        .keyType(KeyType.EC_P256)
                        .build());
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
        FakeApiServer s = running();
        return ApiClient.withCertificate(
                s.url(), s.clusterCa().certificate(), credential.certificate(), credential.privateKey());
    }

    /** No credentials at all. */
    public ApiClient anonymous() {
        FakeApiServer s = running();
        return ApiClient.anonymous(s.url(), s.clusterCa().certificate());
    }

    /** A bearer token. */
    public ApiClient token(String token) {
        FakeApiServer s = running();
        return ApiClient.withToken(s.url(), s.clusterCa().certificate(), token);
    }

    /**
     * A route on the server's own chain, served after every pipeline stage (authentication, audit, impersonation,
     * authorization) and before the API's routes, as if it were one of the API's handlers: for tests that need a
     * handler the API does not have (one that fails, one that writes behind the request state's back).
     */
    public Route handlerRoute(String path) {
        return ServerHooks.handlerRoute(running(), path);
    }

    /** How many audit events the server's backends could not store so far. */
    public long missedAuditEvents() {
        return ServerHooks.missedAuditEvents(running());
    }

    /** Polls {@code call} until its answer satisfies {@code done} (10s at most) and returns that answer. */
    public static ApiClient.Response eventually(Supplier<ApiClient.Response> call, Predicate<ApiClient.Response> done) {
        Instant deadline = Instant.now().plusSeconds(10);
        ApiClient.Response last = call.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "condition not reached in 10s; last answer " + last.code() + " " + last.body());
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

    /**
     * Stops the server and its Vert.x; returns once the port is free and the audit backends are flushed. Idempotent;
     * an extension starts a new server at its next test or class.
     */
    @Override
    public void close() {
        FakeApiServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }
}
