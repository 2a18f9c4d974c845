package io.kubetwin.apiserver.authn;

import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.request.GoRequestPath;
import io.kubetwin.apiserver.request.RequestState;
import io.kubetwin.apiserver.request.ResponseWarnings;
import io.kubetwin.auth.authn.AuthenticationRequest;
import io.kubetwin.auth.authn.BearerTokenAuthenticator;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The authentication stage (filters/authentication.go): runs the assembled authenticator, records the
 * user, strips the {@code Authorization} header, or answers the canonical 401 after the
 * failed-authentication audit hook has run.
 */
public final class AuthenticationHandler implements Handler<RoutingContext> {
    private static final Logger LOG = Logger.getLogger(AuthenticationHandler.class.getName());

    private final AuthenticatorChain authenticator;
    private final Consumer<RoutingContext> onFailure;

    /**
     * @param authenticator the whole chain (union, group adder, anonymous behind fail-on-error)
     * @param onFailure called before the 401 is written (the failed-authentication auditor)
     */
    public AuthenticationHandler(AuthenticatorChain authenticator, Consumer<RoutingContext> onFailure) {
        this.authenticator = authenticator;
        this.onFailure = onFailure;
    }

    @Override
    public void handle(RoutingContext rc) {
        RequestState state = RequestState.of(rc);
        AuthenticationRequest request = new AuthenticationRequest(
                peerCertificates(rc),
                rc.request().getHeader("Authorization"),
                GoRequestPath.of(rc).path());
        authenticator.authenticateRequest(request).onComplete(ar -> {
            if (BearerTokenAuthenticator.extraSpaceBeforeToken(request.authorizationHeader())) {
                // upstream's first authenticator is the loopback token's bearer authenticator
                // (AuthorizeClientBearerToken), so the warning comes before any other, even for a certificate user
                ResponseWarnings.add(rc, BearerTokenAuthenticator.EXTRA_SPACE_WARNING);
            }
            if (ar.failed()) {
                LOG.log(Level.WARNING, "authentication error", ar.cause());
                reject(rc);
                return;
            }
            if (ar.result() instanceof AuthenticationOutcome.Authenticated ok) {
                state.user(ok.user());
                rc.request().headers().remove("Authorization");
                rc.next();
            } else {
                LOG.fine(() -> "Unable to authenticate the request: " + ar.result());
                reject(rc);
            }
        });
    }

    private void reject(RoutingContext rc) {
        onFailure.accept(rc);
        rc.fail(Statuses.unauthorized());
    }

    static List<X509Certificate> peerCertificates(RoutingContext rc) {
        if (rc.request().connection() == null || !rc.request().isSSL()) {
            return List.of();
        }
        try {
            List<Certificate> chain = rc.request().connection().peerCertificates();
            List<X509Certificate> x509 = new ArrayList<>();
            if (chain != null) {
                for (Certificate c : chain) {
                    if (c instanceof X509Certificate x) {
                        x509.add(x);
                    }
                }
            }
            return x509;
        } catch (SSLPeerUnverifiedException none) {
            return List.of();
        }
    }
}
