package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.audit.AuditSetup;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.ClientCertificateTrust;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Kubeconfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A running fake kube-apiserver: the embedding API used by the command line, the JUnit extension and
 * the conformance runner. Point clients at {@link #url()} with {@link #adminKubeconfig()} or a kubeconfig
 * from {@link #kubeconfigFor}.
 *
 * <p>Two ways in and out, for the two kinds of caller:
 * <ul>
 *   <li>blocking: {@link #startBlocking} creates and owns a Vert.x instance, and {@link #close()} (try-with-resources)
 *       returns once the listener, the controllers, the audit backends and that Vert.x are released;</li>
 *   <li>asynchronous: {@link #start(Vertx, ApiServerConfig)} runs on the caller's Vert.x, and {@link #stop()}
 *       completes once the server's own resources are released, leaving the caller's Vert.x running.</li>
 * </ul>
 *
 * <p>Thread-safe. Several servers may run in one JVM (no global state).
 */
public final class FakeApiServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FakeApiServer.class.getName());
    public static final String CLUSTER_NAME = "kubernetes";
    public static final String ADMIN_USER = "kubernetes-admin";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

    private final Vertx vertx;
    private final ApiServerConfig config;
    private final ServerPki pki;
    private final ApiServerAssembly assembly;
    private final Listeners listeners;
    private final String adminKubeconfig;
    private final Path adminKubeconfigFile;
    /** Whether {@link #stop()} closes {@link #vertx} too (servers made by {@link #startBlocking}). */
    private final boolean ownsVertx;

    private final AtomicReference<Future<Void>> stopped = new AtomicReference<>();

    private FakeApiServer(
            Vertx vertx,
            ApiServerConfig config,
            ServerPki pki,
            ApiServerAssembly assembly,
            Listeners listeners,
            boolean ownsVertx) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.config = config;
        this.pki = pki;
        this.assembly = assembly;
        this.listeners = listeners;
        this.adminKubeconfig = kubeconfigFor(ADMIN_USER, "system:masters");
        this.adminKubeconfigFile =
                config.certDir() == null ? null : config.certDir().resolve("admin.kubeconfig");
    }

    /**
     * Starts a server on a Vert.x instance of its own and waits until it serves: for callers that do not use
     * Vert.x futures. {@link #close()} releases everything, the Vert.x instance included. Must not be called
     * on a Vert.x event-loop thread.
     *
     * @throws RuntimeException the start-up failure as {@link #start} reports it, or an {@link IllegalStateException}
     *                          with its message when it is checked (bad configuration: a readable message), once
     *                          whatever was opened, the Vert.x instance included, is released
     */
    public static FakeApiServer startBlocking(ApiServerConfig config) {
        refuseOnEventLoop("startBlocking");
        Vertx vertx = Vertx.vertx();
        try {
            return await(start(vertx, config, true, BootstrapMemo.JVM), START_TIMEOUT, "start");
        } catch (RuntimeException | Error e) {
            await(vertx.close(), STOP_TIMEOUT, "close its Vert.x");
            throw e;
        }
    }

    /**
     * Resolves or generates the PKI (off the event loop), assembles the pipeline, bootstraps the
     * store and listens, on the caller's Vert.x instance (which {@link #stop()} and {@link #close()} leave
     * running). Fails with a readable message for bad configuration.
     */
    public static Future<FakeApiServer> start(Vertx vertx, ApiServerConfig config) {
        return start(vertx, config, false, BootstrapMemo.JVM);
    }

    /** {@link #start(Vertx, ApiServerConfig)} with a memo of the bootstrap writes of its own (tests). */
    static Future<FakeApiServer> start(Vertx vertx, ApiServerConfig config, BootstrapMemo memo) {
        return start(vertx, config, false, memo);
    }

    private static Future<FakeApiServer> start(
            Vertx vertx, ApiServerConfig config, boolean ownsVertx, BootstrapMemo memo) {
        long began = System.nanoTime();
        return vertx.executeBlocking(() -> {
                    ServerPki pki = ServerPki.resolve(config);
                    phase("PKI", began);
                    return pki;
                })
                .compose(pki -> ApiServerAssembly.build(vertx, config, pki, Clock.systemUTC(), memo)
                        .compose(assembly -> {
                            phase("assembly", began);
                            // TLS set-up and the bootstrap writes take similar time: do them together
                            Future<Listeners> listening =
                                    listen(vertx, config, pki, assembly).onSuccess(l -> phase("listening", began));
                            return Future.all(
                                            listening,
                                            assembly.startControlPlane().onSuccess(v -> phase("control plane", began)))
                                    .compose(v -> assembly.bootstrapKubernetesService())
                                    .onSuccess(v -> phase("kubernetes Service", began))
                                    .map(v -> new FakeApiServer(
                                            vertx, config, pki, assembly, listening.result(), ownsVertx))
                                    // a server that does not start releases what it opened (the audit log, ...)
                                    .recover(e -> (listening.succeeded()
                                                    ? listening.result().close()
                                                    : Future.<Void>succeededFuture())
                                            .transform(x -> assembly.close())
                                            .transform(x -> Future.failedFuture(e)));
                        }))
                .compose(server -> server.writeAdminKubeconfig().map(server))
                .onSuccess(server ->
                        LOG.info("fake apiserver ready in " + (System.nanoTime() - began) / 1_000_000 + " ms"));
    }

    /** Where the start-up time goes, at FINE (the benchmark README's phases). */
    static void phase(String done, long began) {
        LOG.fine(() -> "start-up: " + done + " done at " + (System.nanoTime() - began) / 1_000_000 + " ms");
    }

    /** http.DefaultMaxHeaderBytes + 4096: net/http's initialReadLimitSize. */
    static final int GO_HEADER_READ_LIMIT = (1 << 20) + 4096;

    private static Future<Listeners> listen(
            Vertx vertx, ApiServerConfig config, ServerPki pki, ApiServerAssembly assembly) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.bindAddress())
                .setPort(config.securePort())
                .setSsl(true)
                .setUseAlpn(true)
                // Vert.x serves only the versions listed here and answers 501 to HTTP/1.0, which Go serves
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1, HttpVersion.HTTP_1_0))
                .setEnabledSecureTransportProtocols(config.tls().jsseProtocols())
                // the key as it is in memory: PemKeyCertOptions would pass it through an encrypted PKCS#12 store
                .setKeyCertOptions(KeyCertOptions.wrap(KeyStores.servingKeyManager(pki.serving())))
                // without a client CA kube-apiserver does not ask for client certificates at all
                .setClientAuth(pki.clientCas().isEmpty() ? ClientAuth.NONE : ClientAuth.REQUEST)
                .setTrustOptions(TrustOptions.wrap(new ClientCertificateTrust(pki.clientCas())))
                // Go's http.Server reads up to DefaultMaxHeaderBytes (1 MiB) plus 4096 bytes of request line and
                // headers together; Vert.x's defaults (4 KiB URL, 8 KiB headers) refused what kube-apiserver serves
                .setMaxInitialLineLength(GO_HEADER_READ_LIMIT)
                .setMaxHeaderSize(GO_HEADER_READ_LIMIT)
                .setInitialSettings(new Http2Settings().setMaxHeaderListSize(GO_HEADER_READ_LIMIT))
                // a watch over WebSocket ends as the Go server ends it: close frame, then the connection closes
                .setWebSocketClosingTimeout(0)
                // the remote command protocols pods/exec and attach relay to the kubelet (those the fake kubelet
                // serves), and kubectl port-forward's SPDY tunnel (streamtunnel.go); a watch offers none of them
                .setWebSocketSubProtocols(List.of(
                        "v5.channel.k8s.io", "v4.channel.k8s.io", "channel.k8s.io", "SPDY/3.1+portforward.k8s.io"));
        config.tls().jsseCipherSuites().forEach(options::addEnabledCipherSuite);
        return Listeners.open(
                        vertx,
                        options,
                        new GoRequestChecks(assembly.router()),
                        new GoInvalidRequests(),
                        Listeners.defaultCount())
                .onSuccess(s -> {
                    assembly.boundPort(s.port());
                    LOG.info("Serving securely on " + config.bindAddress() + ":" + s.port());
                    assembly.insecureModes().forEach(LOG::warning);
                    config.tls()
                            .insecureCiphers()
                            .forEach(name -> LOG.warning("Use of insecure cipher '" + name + "' detected."));
                    List<String> unavailable = config.tls().unavailableInJava();
                    if (!unavailable.isEmpty()) {
                        LOG.warning("not offered, as this JVM disables them (jdk.tls.disabledAlgorithms): "
                                + String.join(", ", unavailable));
                    }
                });
    }

    private Future<Void> writeAdminKubeconfig() {
        if (adminKubeconfigFile == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            try {
                Kubeconfig.parse(adminKubeconfig).write(adminKubeconfigFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    public int port() {
        return listeners.port();
    }

    /** The HTTPS URL clients use: the advertise address when given, else 127.0.0.1. */
    public String url() {
        String host = config.advertiseAddress() != null
                ? config.advertiseAddress()
                : config.bindAddress().equals("0.0.0.0") || config.bindAddress().equals("::")
                        ? "127.0.0.1"
                        : config.bindAddress();
        return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** A kubeconfig (YAML) for kubernetes-admin in group system:masters. */
    public String adminKubeconfig() {
        return adminKubeconfig;
    }

    /** Where the admin kubeconfig was written ({@code --cert-dir/admin.kubeconfig}), or null without a cert dir. */
    public Path adminKubeconfigFile() {
        return adminKubeconfigFile;
    }

    /** A kubeconfig (YAML) with a fresh client certificate (CN = user, one O per group) signed by the cluster CA. */
    public String kubeconfigFor(String user, String... groups) {
        // ECDSA keys: generated in a millisecond, where RSA can take a second (kubeconfigs are made per test)
        Credential credential = clusterCa()
                .issue(CertificateSpec.client(user)
                        .organizations(List.of(groups))
                        .keyType(KeyType.EC_P256)
                        .validFor(Duration.ofDays(365))
                        .build());
        return Kubeconfig.builder()
                .cluster(CLUSTER_NAME, url(), clusterCa().certificatePem())
                .userCertificate(user, credential.certificatePem(), credential.privateKeyPem())
                .context(user + "@" + CLUSTER_NAME, CLUSTER_NAME, user)
                .currentContext(user + "@" + CLUSTER_NAME)
                .build()
                .toYaml();
    }

    /** A kubeconfig (YAML) that authenticates with a bearer token. */
    public String kubeconfigForToken(String name, String token) {
        return Kubeconfig.builder()
                .cluster(CLUSTER_NAME, url(), clusterCa().certificatePem())
                .userToken(name, token)
                .context(name + "@" + CLUSTER_NAME, CLUSTER_NAME, name)
                .currentContext(name + "@" + CLUSTER_NAME)
                .build()
                .toYaml();
    }

    /** The cluster CA: signs client certificates and approved CertificateSigningRequests. */
    public CertificateAuthority clusterCa() {
        return pki.clusterCa();
    }

    public ServerPki pki() {
        return pki;
    }

    public ApiServerConfig config() {
        return config;
    }

    /** The Vert.x instance the server runs on: the caller's, or its own after {@link #startBlocking} (closed with it). */
    public Vertx vertx() {
        return vertx;
    }

    /** The object store, for tests that seed or inspect state directly. */
    public Storage storage() {
        return assembly.storage();
    }

    /** The audit configuration in use, for tests in this package. */
    AuditSetup auditSetup() {
        return assembly.auditSetup();
    }

    /** The handler chain, for tests in this package ({@link HandlerChain#handlerRoute}). */
    Router router() {
        return assembly.router();
    }

    /**
     * Stops listening, then stops the controllers and the store and flushes and closes the audit backends
     * (after the last request), then closes the Vert.x instance if the server owns it ({@link #startBlocking}).
     * Idempotent: every call answers the same future. Safe from any thread, the event loop included.
     */
    public Future<Void> stop() {
        Future<Void> first = stopped.get();
        if (first != null) {
            return first;
        }
        Promise<Void> promise = Promise.promise();
        if (!stopped.compareAndSet(null, promise.future())) {
            return stopped.get();
        }
        // each step runs even when the one before failed (the audit log is flushed after a bad listener close);
        // the first failure is the answer
        Future<Void> released =
                listeners.close().transform(closed -> assembly.close().transform(done -> firstFailure(closed, done)));
        if (!ownsVertx) {
            released.onComplete(promise);
        } else {
            // Vert.x is closed from outside its event loops: a future completed on a loop that is shutting down
            // would never call its listeners
            released.onComplete(done -> CompletableFuture.runAsync(
                    () -> vertx.close().onComplete(vertxClosed -> promise.handle(firstFailure(done, vertxClosed)))));
        }
        return promise.future();
    }

    /**
     * {@link #stop()} and waits for it: when this returns, the port is free and the audit log complete.
     * Must not be called on a Vert.x event-loop thread (use {@link #stop()} there).
     */
    @Override
    public void close() {
        refuseOnEventLoop("close");
        await(stop(), STOP_TIMEOUT, "stop");
    }

    private static Future<Void> firstFailure(AsyncResult<Void> first, AsyncResult<Void> second) {
        AsyncResult<Void> failed = first.failed() ? first : second;
        return failed.failed() ? Future.failedFuture(failed.cause()) : Future.succeededFuture();
    }

    private static void refuseOnEventLoop(String method) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("FakeApiServer." + method + " blocks: call it off the event loop");
        }
    }

    /** Waits for {@code future}; its failure is rethrown as is when unchecked, else wrapped with the same message. */
    private static <T> T await(Future<T> future, Duration timeout, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            // a checked failure (AuditSetupException, ...) keeps its message: it is what the operator must read
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "fake apiserver did not " + what + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the fake apiserver to " + what, e);
        }
    }
}
