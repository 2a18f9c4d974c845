package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Kubeconfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A running fake kube-apiserver: the embedding API used by the command line, the JUnit extension and
 * the conformance runner. Start it with {@link #start}, point clients at {@link #url()} with
 * {@link #adminKubeconfig()} or a kubeconfig from {@link #kubeconfigFor}, and {@link #close()} it.
 *
 * <p>Thread-safe. Several servers may run in one JVM (no global state).
 */
public final class FakeApiServer {
    private static final Logger LOG = Logger.getLogger(FakeApiServer.class.getName());
    public static final String CLUSTER_NAME = "kubernetes";
    public static final String ADMIN_USER = "kubernetes-admin";

    private final Vertx vertx;
    private final ApiServerConfig config;
    private final ServerPki pki;
    private final ApiServerAssembly assembly;
    private final HttpServer http;
    private final String adminKubeconfig;
    private final Path adminKubeconfigFile;

    private FakeApiServer(Vertx vertx, ApiServerConfig config, ServerPki pki, ApiServerAssembly assembly,
                          HttpServer http) {
        this.vertx = vertx;
        this.config = config;
        this.pki = pki;
        this.assembly = assembly;
        this.http = http;
        this.adminKubeconfig = kubeconfigFor(ADMIN_USER, "system:masters");
        this.adminKubeconfigFile = config.certDir() == null ? null : config.certDir().resolve("admin.kubeconfig");
    }

    /**
     * Resolves or generates the PKI (off the event loop), assembles the pipeline, bootstraps the
     * store and listens. Fails with a readable message for bad configuration.
     */
    public static Future<FakeApiServer> start(Vertx vertx, ApiServerConfig config) {
        long began = System.nanoTime();
        return vertx.executeBlocking(() -> {
                    ServerPki pki = ServerPki.resolve(config);
                    LOG.fine(() -> "PKI ready in " + (System.nanoTime() - began) / 1_000_000 + " ms");
                    return pki;
                })
                .compose(pki -> ApiServerAssembly.build(vertx, config, pki, Clock.systemUTC())
                        .compose(assembly -> {
                            // TLS set-up and the bootstrap writes take similar time: do them together
                            Future<HttpServer> listening = listen(vertx, config, pki, assembly);
                            return Future.all(listening, assembly.startControlPlane())
                                    .map(v -> new FakeApiServer(vertx, config, pki, assembly, listening.result()))
                                    // a server that does not start releases what it opened (the audit log, ...)
                                    .recover(e -> (listening.succeeded() ? listening.result().close() : Future.<Void>succeededFuture())
                                            .transform(x -> assembly.close())
                                            .transform(x -> Future.failedFuture(e)));
                        }))
                .compose(server -> server.writeAdminKubeconfig().map(server))
                .onSuccess(server -> LOG.info("fake apiserver ready in " + (System.nanoTime() - began) / 1_000_000 + " ms"));
    }

    private static Future<HttpServer> listen(Vertx vertx, ApiServerConfig config, ServerPki pki,
                                             ApiServerAssembly assembly) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.bindAddress())
                .setPort(config.securePort())
                .setSsl(true)
                .setUseAlpn(true)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setKeyCertOptions(new PemKeyCertOptions()
                        .addCertValue(Buffer.buffer(pki.serving().certificatePem()))
                        .addKeyValue(Buffer.buffer(pki.serving().privateKeyPkcs8Pem())))
                // without a client CA kube-apiserver does not ask for client certificates at all
                .setClientAuth(pki.clientCas().isEmpty() ? ClientAuth.NONE : ClientAuth.REQUEST)
                .setTrustOptions(TrustOptions.wrap(new ClientCertificateTrust(pki.clientCas())));
        return vertx.createHttpServer(options).requestHandler(new MissingHostGuard(assembly.router())).listen()
                .onSuccess(s -> {
                    assembly.boundPort(s.actualPort());
                    LOG.info("Serving securely on " + config.bindAddress() + ":" + s.actualPort());
                    assembly.insecureModes().forEach(LOG::warning);
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
        return http.actualPort();
    }

    /** The HTTPS URL clients use: the advertise address when given, else 127.0.0.1. */
    public String url() {
        String host = config.advertiseAddress() != null ? config.advertiseAddress()
                : config.bindAddress().equals("0.0.0.0") || config.bindAddress().equals("::") ? "127.0.0.1"
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
        Credential credential = clusterCa().issue(CertificateSpec.client(user).organizations(List.of(groups))
                .keyType(KeyType.EC_P256).validFor(Duration.ofDays(365)).build());
        return Kubeconfig.builder()
                .cluster(CLUSTER_NAME, url(), clusterCa().certificatePem())
                .userCertificate(user, credential.certificatePem(), credential.privateKeyPem())
                .context(user + "@" + CLUSTER_NAME, CLUSTER_NAME, user)
                .currentContext(user + "@" + CLUSTER_NAME)
                .build().toYaml();
    }

    /** A kubeconfig (YAML) that authenticates with a bearer token. */
    public String kubeconfigForToken(String name, String token) {
        return Kubeconfig.builder()
                .cluster(CLUSTER_NAME, url(), clusterCa().certificatePem())
                .userToken(name, token)
                .context(name + "@" + CLUSTER_NAME, CLUSTER_NAME, name)
                .currentContext(name + "@" + CLUSTER_NAME)
                .build().toYaml();
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

    /** The object store, for tests that seed or inspect state directly. */
    public Storage storage() {
        return assembly.storage();
    }

    /** The handler chain, for tests in this package ({@link HandlerChain#handlerRoute}). */
    io.vertx.ext.web.Router router() {
        return assembly.router();
    }

    public Future<Void> close() {
        return http.close().compose(v -> assembly.close());
    }
}
