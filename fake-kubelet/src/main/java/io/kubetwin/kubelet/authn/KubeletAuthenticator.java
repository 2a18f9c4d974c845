package io.kubetwin.kubelet.authn;

import io.kubetwin.auth.authn.AnonymousAuthenticator;
import io.kubetwin.auth.authn.AuthenticatedGroupAdder;
import io.kubetwin.auth.authn.Authenticator;
import io.kubetwin.auth.authn.BearerTokenAuthenticator;
import io.kubetwin.auth.authn.TokenAuthenticator;
import io.kubetwin.auth.authn.UnionAuthenticator;
import io.kubetwin.auth.authn.X509Authenticator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet's request authenticator, assembled from the shared building blocks as
 * k8s.io/apiserver/pkg/authentication/authenticatorfactory/delegating.go assembles it for cmd/kubelet/app/auth.go:
 * a union of x509 (when a client CA is configured) and bearer tokens (when the token webhook is enabled), in that
 * order; then the authenticated-group adder; then, when anonymous is enabled, anonymous behind fail-on-error, so
 * that it answers only requests that presented no credential it could use, never a bad one. The kubelet answers
 * every failure with the bare 401 {@code Unauthorized}: error texts reach the log only.
 */
public final class KubeletAuthenticator {
    private KubeletAuthenticator() {}

    /**
     * @param clientCas    {@code authentication.x509.clientCAFile}'s certificates, or null without a client CA
     * @param tokenWebhook the TokenReview authenticator, or null when {@code authentication.webhook.enabled} is false
     * @param anonymous    {@code authentication.anonymous.enabled}
     */
    public static Authenticator build(
            List<X509Certificate> clientCas, TokenAuthenticator tokenWebhook, boolean anonymous, Clock clock) {
        List<Authenticator> union = new ArrayList<>();
        if (clientCas != null) {
            List<X509Certificate> roots = List.copyOf(clientCas);
            // CommonNameUserConversion reads the UID attribute too (AllowParsingUserUIDFromCertAuth, on in 1.34)
            union.add(new X509Authenticator(() -> roots, clock, true));
        }
        if (tokenWebhook != null) {
            union.add(new BearerTokenAuthenticator(List.of(tokenWebhook)));
        }
        Authenticator authenticator = new AuthenticatedGroupAdder(UnionAuthenticator.of(union));
        if (anonymous) {
            authenticator =
                    UnionAuthenticator.failOnError(List.of(authenticator, AnonymousAuthenticator.unconditional()));
        }
        return authenticator;
    }
}
