package io.kubetwin.bench.target;

import io.kubetwin.bench.report.Report;
import io.kubetwin.pki.ClientCertificateTrust;
import io.kubetwin.pki.GoTlsDefaults;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: a bare Vert.x HTTPS server with the fake's TLS set-up (the same serving CA, client certificate
 * requested and accepted at the handshake, Go's cipher suites) that answers every request with a fixed JSON body: the
 * body registered for its path with {@link #answer} (the size the fake answers there), else {@code {}}. No routing,
 * no authentication, no storage: what TLS, HTTP and Vert.x cost on this machine.
 */
public final class CeilingTarget implements Target {
    private record Answer(int status, Buffer body) {}

    private static final Answer DEFAULT = new Answer(200, Buffer.buffer("{}"));
    private final Vertx vertx;
    private final int port;
    private final Map<String, Answer> bodies;

    private CeilingTarget(Vertx vertx, int port, Map<String, Answer> bodies) {
        this.vertx = vertx;
        this.port = port;
        this.bodies = bodies;
    }

    public static CeilingTarget start(BenchPki pki) throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(Processes.freePort())
                .setSsl(true)
                .setUseAlpn(true)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setKeyCertOptions(new PemKeyCertOptions()
                        .addCertValue(Buffer.buffer(pki.serving().certificatePem()))
                        .addKeyValue(Buffer.buffer(pki.serving().privateKeyPkcs8Pem())))
                .setClientAuth(ClientAuth.REQUEST)
                .setTrustOptions(TrustOptions.wrap(
                        new ClientCertificateTrust(List.of(pki.ca().certificate()))));
        GoTlsDefaults.cipherSuites().forEach(options::addEnabledCipherSuite);
        Map<String, Answer> bodies = new ConcurrentHashMap<>();
        try {
            // one server per event loop on the same port: Vert.x spreads the connections over all cores
            vertx.deployVerticle(
                            () -> new VerticleBase() {
                                @Override
                                public Future<?> start() {
                                    return listen(vertx, options, bodies);
                                }
                            },
                            new DeploymentOptions()
                                    .setInstances(Runtime.getRuntime().availableProcessors()))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            return new CeilingTarget(vertx, options.getPort(), bodies);
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
    }

    private static Future<HttpServer> listen(Vertx vertx, HttpServerOptions options, Map<String, Answer> bodies) {
        return vertx.createHttpServer(options)
                .requestHandler(req -> req.body().onComplete(b -> {
                    Answer answer = bodies.getOrDefault(req.path(), DEFAULT);
                    req.response()
                            .setStatusCode(answer.status())
                            .putHeader("Content-Type", "application/json")
                            .end(answer.body());
                }))
                .listen();
    }

    /** Answers {@code status} and {@code body} on {@code path} from now on (the body's size is what matters). */
    public void answer(String path, int status, byte[] body) {
        bodies.put(path, new Answer(status, Buffer.buffer(body)));
    }

    @Override
    public String name() {
        return Report.CEILING;
    }

    @Override
    public String url() {
        return "https://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("ceiling did not stop: " + e.getMessage(), e);
        }
    }
}
