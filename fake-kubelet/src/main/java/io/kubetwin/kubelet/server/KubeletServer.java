package io.kubetwin.kubelet.server;

import io.kubetwin.auth.authn.Authenticator;
import io.kubetwin.auth.authn.TokenAuthenticator;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.authn.KubeletAuthenticator;
import io.kubetwin.kubelet.authz.KubeletAuthorization;
import io.kubetwin.kubelet.authz.NodeRequestAttributes;
import io.kubetwin.kubelet.config.AuthorizationMode;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.endpoints.DebugEndpoints;
import io.kubetwin.kubelet.endpoints.NodeEndpoints;
import io.kubetwin.kubelet.pods.PodSource;
import io.kubetwin.kubelet.streaming.ChannelConnection;
import io.kubetwin.kubelet.streaming.StreamingEndpoints;
import io.kubetwin.kubelet.webhook.ApiserverReviewClient;
import io.kubetwin.kubelet.webhook.ReviewClient;
import io.kubetwin.kubelet.webhook.WebhookAuthorizer;
import io.kubetwin.kubelet.webhook.WebhookTokenAuthenticator;
import io.kubetwin.pki.ClientCertificateTrust;
import io.kubetwin.pki.Kubeconfig;
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
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The fake kubelet's listeners: the authenticated HTTPS port ({@code port}) and, unless {@code readOnlyPort}
 * is 0, the unauthenticated HTTP read-only port, as pkg/kubelet/server/server.go ListenAndServeKubeletServer
 * and ListenAndServeKubeletReadOnlyServer start them. The webhook modes ask the apiserver of {@code --kubeconfig}
 * (TokenReview, SubjectAccessReview, each with its cache); without a kubeconfig (standalone, as the kubelet runs
 * without an apiserver client) they refuse to start with the kubelet's own message.
 */
public final class KubeletServer {
    private static final Logger LOG = Logger.getLogger(KubeletServer.class.getName());

    /**
     * What the servers need besides the configuration.
     *
     * @param pods              the pods bound to the node
     * @param tokenWebhook      the token authenticator of {@code authentication.webhook}, or null to build it from
     *                          {@code --kubeconfig} (used only when the webhook is enabled)
     * @param webhookAuthorizer the authorizer of the Webhook mode, or null to build it from {@code --kubeconfig}
     * @param serving           the serving certificate, or null to derive it from the configuration
     * @param clock             for certificate validity and the webhook caches
     */
    public record Dependencies(
            PodSource pods,
            TokenAuthenticator tokenWebhook,
            Authorizer webhookAuthorizer,
            ServingCertificate serving,
            Clock clock) {
        /** The usual case: the webhooks, when configured, ask the apiserver of {@code --kubeconfig}. */
        public static Dependencies of(PodSource pods, Clock clock) {
            return new Dependencies(pods, null, null, null, clock);
        }
    }

    /** What start-up resolved off the event loop. */
    private record Loaded(
            ServingCertificate serving,
            List<X509Certificate> clientCas,
            TokenAuthenticator tokenWebhook,
            Authorizer authorizer) {}

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
        return vertx.executeBlocking(() -> load(config, deps)).compose(loaded -> listen(vertx, config, deps, loaded));
    }

    /**
     * Reads the certificates and the kubeconfig (blocking I/O) and builds the webhook stages, as cmd/kubelet/app
     * BuildAuth does: a webhook mode without an apiserver client is refused with upstream's message.
     */
    private static Loaded load(KubeletConfig config, Dependencies deps) throws Exception {
        boolean tokenWebhook = config.webhookAuthnEnabled() && deps.tokenWebhook() == null;
        boolean webhookAuthz =
                config.authorizationMode() == AuthorizationMode.WEBHOOK && deps.webhookAuthorizer() == null;
        ReviewClient reviews = null;
        if ((tokenWebhook || webhookAuthz) && config.kubeconfig() != null) {
            reviews = new ApiserverReviewClient(ApiClient.of(Kubeconfig.read(config.kubeconfig())));
        }
        if (tokenWebhook && reviews == null) {
            throw new IllegalArgumentException("no client provided, cannot use webhook authentication "
                    + "(give --kubeconfig, or --authentication-token-webhook=false)");
        }
        if (webhookAuthz && reviews == null) {
            throw new IllegalArgumentException("no client provided, cannot use webhook authorization "
                    + "(give --kubeconfig, or --authorization-mode=AlwaysAllow)");
        }
        TokenAuthenticator tokens = !config.webhookAuthnEnabled()
                ? null
                : deps.tokenWebhook() != null
                        ? deps.tokenWebhook()
                        : new WebhookTokenAuthenticator(reviews, config.webhookAuthnCacheTtl(), deps.clock());
        Authorizer authorizer = config.authorizationMode() != AuthorizationMode.WEBHOOK
                ? attributes -> Decision.allow("")
                : deps.webhookAuthorizer() != null
                        ? deps.webhookAuthorizer()
                        : new WebhookAuthorizer(
                                reviews, config.webhookAuthorizedTtl(), config.webhookUnauthorizedTtl(), deps.clock());
        return new Loaded(
                deps.serving() != null ? deps.serving() : ServingCertificate.forConfig(config),
                ServingCertificate.clientCas(config.clientCaFile()),
                tokens,
                authorizer);
    }

    private static Future<KubeletServer> listen(Vertx vertx, KubeletConfig config, Dependencies deps, Loaded loaded) {
        ServingCertificate serving = loaded.serving();
        List<X509Certificate> clientCas = loaded.clientCas();
        String nodeName = config.nodeName();
        NodeEndpoints node =
                new NodeEndpoints(deps.pods(), nodeName, deps.clock().instant());
        DebugEndpoints debug = new DebugEndpoints(deps.pods(), config);
        StreamingEndpoints streaming = new StreamingEndpoints(deps.pods());
        Authenticator authenticator = KubeletAuthenticator.build(
                config.clientCaFile() == null ? null : clientCas,
                loaded.tokenWebhook(),
                config.anonymousEnabled(),
                deps.clock());
        AuthFilter filter = new AuthFilter(
                vertx,
                authenticator,
                new NodeRequestAttributes(nodeName, config.fineGrainedAuthz()),
                new KubeletAuthorization(loaded.authorizer()));
        Mux secureMux = KubeletRoutes.secure(config, node, debug, streaming, filter);
        HttpServerOptions tls = new HttpServerOptions()
                .setHost(config.address())
                .setPort(config.port())
                .setSsl(true)
                .setEnabledSecureTransportProtocols(config.tls().jsseProtocols())
                .setKeyCertOptions(new PemKeyCertOptions()
                        .addCertValue(Buffer.buffer(serving.certificatesPem()))
                        .addKeyValue(Buffer.buffer(serving.privateKeyPem())))
                // InitializeTLS: tls.RequestClientCert only when a client CA is configured
                .setClientAuth(clientCas.isEmpty() ? ClientAuth.NONE : ClientAuth.REQUEST)
                .setTrustOptions(TrustOptions.wrap(new ClientCertificateTrust(clientCas)))
                // the remote command channel protocols of the streaming server (wsstream picks the client's first
                // supported offer, as Netty does), and SPDY tunnelled in a WebSocket for port forwarding
                .setWebSocketSubProtocols(webSocketProtocols());
        // the kubelet is a Go TLS server too: Go's cipher suites and order, not Java's
        config.tls().jsseCipherSuites().forEach(tls::addEnabledCipherSuite);
        Future<HttpServer> secure = vertx.createHttpServer(tls)
                .requestHandler(req -> dispatch(secureMux, req))
                .listen();
        Future<HttpServer> readOnly = Future.succeededFuture();
        if (config.readOnlyPort() > 0) {
            Mux readOnlyMux = KubeletRoutes.readOnly(config, node, debug, streaming);
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
                    // InitializeTLS's messages
                    config.tls()
                            .insecureCiphers()
                            .forEach(name -> LOG.info("Use of insecure cipher detected. cipher=\"" + name + "\""));
                    if (config.tls().minVersion().equals("VersionTLS13")
                            && !config.tls().cipherSuites().isEmpty()) {
                        LOG.info("Warning: TLS 1.3 cipher suites are not configurable, ignoring --tls-cipher-suites");
                    }
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
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            // Vert.x switches protocols only on a request not yet read: held through the asynchronous auth filter,
            // and read to its end if it is answered without switching
            request.pause();
            request.response().endHandler(v -> request.resume());
        }
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

    private static List<String> webSocketProtocols() {
        List<String> protocols = new ArrayList<>(ChannelConnection.PROTOCOLS);
        protocols.add(StreamingEndpoints.SPDY_TUNNEL_PROTOCOL);
        return protocols;
    }
}
