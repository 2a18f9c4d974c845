package io.kubetwin.kubelet.server;

import io.kubetwin.auth.authn.AuthenticationRequest;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.Authenticator;
import io.kubetwin.kubelet.authz.KubeletAuthorization;
import io.kubetwin.kubelet.authz.NodeRequestAttributes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The authenticated server's filter, mirroring pkg/kubelet/server/server.go InstallAuthFilter: authenticate
 * (an error or no user: 401 with the bare body {@code Unauthorized}), map the request to candidate
 * attributes, authorize them in order (see {@link KubeletAuthorization}: 403 / 500 bodies), then run the
 * endpoint. It wraps every pattern of the authenticated mux, never the mux's own 404 and redirects, exactly
 * as go-restful container filters do. Authorization runs on a worker thread: the Webhook mode blocks on a
 * SubjectAccessReview as upstream's does. Thread-safe.
 */
final class AuthFilter {
    private static final Logger LOG = Logger.getLogger(AuthFilter.class.getName());
    static final String UNAUTHORIZED = "Unauthorized";

    private final Vertx vertx;
    private final Authenticator authenticator;
    private final NodeRequestAttributes attributes;
    private final KubeletAuthorization authorization;

    AuthFilter(
            Vertx vertx,
            Authenticator authenticator,
            NodeRequestAttributes attributes,
            KubeletAuthorization authorization) {
        this.vertx = vertx;
        this.authenticator = authenticator;
        this.attributes = attributes;
        this.authorization = authorization;
    }

    Endpoint wrap(Endpoint next) {
        return (request, path) -> authenticator
                .authenticate(credentials(request, path))
                .onComplete(authn -> {
                    if (authn.failed() || !(authn.result() instanceof AuthenticationResult.Authenticated ok)) {
                        if (authn.failed() || authn.result() instanceof AuthenticationResult.Failed) {
                            LOG.info("Unable to authenticate the request due to an error: "
                                    + (authn.failed()
                                            ? authn.cause().getMessage()
                                            : ((AuthenticationResult.Failed) authn.result()).error()));
                        }
                        Responses.restfulText(request, 401, UNAUTHORIZED);
                        return;
                    }
                    var candidates =
                            attributes.attributes(ok.user(), request.method().name(), path);
                    vertx.executeBlocking(() -> authorization.authorize(candidates), false)
                            .onComplete(authz -> {
                                if (authz.failed()) {
                                    Responses.restfulText(
                                            request,
                                            500,
                                            "Authorization error: "
                                                    + authz.cause().getMessage());
                                } else if (authz.result() instanceof KubeletAuthorization.Outcome.Forbidden forbidden) {
                                    Responses.restfulText(request, 403, forbidden.message());
                                } else if (authz.result() instanceof KubeletAuthorization.Outcome.Error error) {
                                    Responses.restfulText(request, 500, error.message());
                                } else {
                                    next.handle(request, path);
                                }
                            });
                });
    }

    static AuthenticationRequest credentials(HttpServerRequest request, String path) {
        List<X509Certificate> chain = new ArrayList<>();
        if (request.isSSL()) {
            try {
                for (Certificate c : request.connection().peerCertificates()) {
                    chain.add((X509Certificate) c);
                }
            } catch (Exception e) {
                // javax.net.ssl.SSLPeerUnverifiedException: the client sent no certificate
            }
        }
        return new AuthenticationRequest(chain, request.getHeader("Authorization"), path);
    }
}
