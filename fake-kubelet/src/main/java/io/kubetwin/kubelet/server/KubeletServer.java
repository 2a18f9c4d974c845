package io.kubetwin.kubelet.server;

import io.kubetwin.kubelet.authn.Authenticator;
import io.kubetwin.kubelet.authn.BearerTokenAuthenticator;
import io.kubetwin.kubelet.authn.DelegatingAuthenticator;
import io.kubetwin.kubelet.authn.TokenReviewer;
import io.kubetwin.kubelet.authn.X509Authenticator;
import io.kubetwin.kubelet.authz.Authorizer;
import io.kubetwin.kubelet.authz.KubeletAuthorization;
import io.kubetwin.kubelet.authz.NodeRequestAttributes;
import io.kubetwin.kubelet.authz.SubjectAccessReviewer;
import io.kubetwin.kubelet.authz.WebhookAuthorizer;
import io.kubetwin.kubelet.config.AuthorizationMode;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.endpoints.DebugEndpoints;
import io.kubetwin.kubelet.endpoints.NodeEndpoints;
import io.kubetwin.kubelet.pods.PodSource;
import io.kubetwin.pki.ClientCertificateTrust;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The fake kubelet's listeners: the authenticated HTTPS port ({@code port}) and, unless {@code readOnlyPort}
 * is 0, the unauthenticated HTTP read-only port, as pkg/kubelet/server/server.go ListenAndServeKubeletServer
 * and ListenAndServeKubeletReadOnlyServer start them. Collaborators that a configured stage needs are
 * required: webhook authentication without a {@link TokenReviewer}, or Webhook authorization without a
 * {@link SubjectAccessReviewer}, refuse to start (as the kubelet refuses without an apiserver client).
 */
public final class KubeletServer {
    private static final Logger LOG = Logger.getLogger(KubeletServer.class.getName());

    /**
     * What the servers need besides the configuration.
     *
     * @param pods          the pods bound to the node
     * @param tokenReviewer TokenReview port, or null (then {@code authentication.webhook.enabled} must be false)
     * @param accessReviewer SubjectAccessReview port, or null (then the mode must be AlwaysAllow)
     * @param serving       the serving certificate, or null to derive it from the configuration
     * @param clock         for certificate validity
     */
    public record Dependencies(
            PodSource pods,
            TokenReviewer tokenReviewer,
            SubjectAccessReviewer accessReviewer,
            ServingCertificate serving,
            Clock clock) {}

    private final HttpServer secure;
    private final HttpServer readOnly;
    private final ServingCertificate serving;

    private KubeletServer(HttpServer secure, HttpServer readOnly, ServingCertificate serving) {
        this.secure = secure;
        this.readOnly = readOnly;
        this.serving = serving;
    }

    /** Starts both listeners; fails with a readable message for a configuration the kubelet would refuse. */
    public static Future<KubeletServer> start(Vertx vertx, KubeletConfig config, Dependencies deps) {
        if (config.webhookAuthnEnabled() && deps.tokenReviewer() == null) {
            return Future.failedFuture(new IllegalArgumentException(
                    "no client provided, cannot use webhook authentication (the fake kubelet has no apiserver connection yet; "
                            + "use --authentication-token-webhook=false)"));
        }
        if (config.authorizationMode() == AuthorizationMode.WEBHOOK && deps.accessReviewer() == null) {
            return Future.failedFuture(new IllegalArgumentException(
                    "no client provided, cannot use webhook authorization (the fake kubelet has no apiserver connection yet; "
                            + "use --authorization-mode=AlwaysAllow)"));
        }
        return vertx.executeBlocking(() -> new Object[] {
                    deps.serving() != null ? deps.serving() : ServingCertificate.forConfig(config),
                    ServingCertificate.clientCas(config.clientCaFile())
                })
                .compose(loaded -> listen(vertx, config, deps, (ServingCertificate) loaded[0], castCas(loaded[1])));
    }

    @SuppressWarnings("unchecked")
    private static List<X509Certificate> castCas(Object o) {
        return (List<X509Certificate>) o;
    }

    private static Future<KubeletServer> listen(
            Vertx vertx,
            KubeletConfig config,
            Dependencies deps,
            ServingCertificate serving,
            List<X509Certificate> clientCas) {
        String nodeName = config.nodeName();
        NodeEndpoints node =
                new NodeEndpoints(deps.pods(), nodeName, deps.clock().instant());
        DebugEndpoints debug = new DebugEndpoints(deps.pods(), config);
        Authenticator authenticator = new DelegatingAuthenticator(
                config.clientCaFile() == null ? null : new X509Authenticator(clientCas, deps.clock()),
                config.webhookAuthnEnabled() ? new BearerTokenAuthenticator(deps.tokenReviewer()) : null,
                config.anonymousEnabled());
        Authorizer authorizer = config.authorizationMode() == AuthorizationMode.WEBHOOK
                ? new WebhookAuthorizer(deps.accessReviewer())
                : Authorizer.ALWAYS_ALLOW;
        AuthFilter filter = new AuthFilter(
                authenticator,
                new NodeRequestAttributes(nodeName, config.fineGrainedAuthz()),
                new KubeletAuthorization(authorizer));
        Mux secureMux = KubeletRoutes.secure(config, node, debug, filter);
        HttpServerOptions tls = new HttpServerOptions()
                .setHost(config.address())
                .setPort(config.port())
                .setSsl(true)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setKeyCertOptions(new PemKeyCertOptions()
                        .addCertValue(Buffer.buffer(serving.certificatesPem()))
                        .addKeyValue(Buffer.buffer(serving.privateKeyPem())))
                // InitializeTLS: tls.RequestClientCert only when a client CA is configured
                .setClientAuth(clientCas.isEmpty() ? ClientAuth.NONE : ClientAuth.REQUEST)
                .setTrustOptions(TrustOptions.wrap(new ClientCertificateTrust(clientCas)));
        Future<HttpServer> secure = vertx.createHttpServer(tls)
                .requestHandler(req -> dispatch(secureMux, req))
                .listen();
        Future<HttpServer> readOnly = Future.succeededFuture();
        if (config.readOnlyPort() > 0) {
            Mux readOnlyMux = KubeletRoutes.readOnly(config, node, debug);
            readOnly = vertx.createHttpServer(
                            new HttpServerOptions().setHost(config.address()).setPort(config.readOnlyPort()))
                    .requestHandler(req -> dispatch(readOnlyMux, req))
                    .listen();
        }
        Future<HttpServer> readOnlyListening = readOnly;
        return Future.all(secure, readOnlyListening)
                .map(v -> new KubeletServer(secure.result(), readOnlyListening.result(), serving))
                .onSuccess(s -> {
                    LOG.info("fake kubelet " + nodeName + " serving on " + config.address() + ":" + s.port()
                            + (s.readOnlyPort() > 0 ? ", read-only on port " + s.readOnlyPort() : ""));
                    config.insecureModes().forEach(m -> LOG.warning("insecure: " + m));
                })
                .recover(e -> closeQuietly(secure)
                        .compose(x -> closeQuietly(readOnlyListening))
                        .compose(x -> Future.failedFuture(e)));
    }

    private static Future<Void> closeQuietly(Future<HttpServer> server) {
        return server.succeeded() && server.result() != null
                ? server.result().close().otherwiseEmpty()
                : Future.succeededFuture();
    }

    /** ServeMux: route on the decoded path, before any filter. */
    static void dispatch(Mux mux, HttpServerRequest request) {
        String path = decodePath(request.path());
        Mux.Match match = mux.match(path);
        if (match.endpoint() != null) {
            match.endpoint().handle(request, path);
        } else if (match.redirectTo() != null) {
            String query = request.query();
            Responses.redirect(request, match.redirectTo() + (query == null || query.isEmpty() ? "" : "?" + query));
        } else {
            Responses.goNotFound(request);
        }
    }

    /** url.URL.Path: percent-decoded, with '+' kept as is. */
    static String decodePath(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    public int port() {
        return secure.actualPort();
    }

    /** The read-only port, or 0 when it is disabled. */
    public int readOnlyPort() {
        return readOnly == null ? 0 : readOnly.actualPort();
    }

    public ServingCertificate serving() {
        return serving;
    }

    public Future<Void> close() {
        return secure.close().compose(v -> readOnly == null ? Future.succeededFuture() : readOnly.close());
    }
}
