package io.kubetwin.kubelet.authn;

import io.vertx.core.Future;
import java.util.Locale;

/**
 * {@code Authorization: Bearer <token>} through a {@link TokenReviewer}, parsed as
 * k8s.io/apiserver/pkg/authentication/request/bearertoken/bearertoken.go does: no header, another scheme
 * or an empty token is "not mine"; a token the reviewer does not accept is an error
 * ({@code invalid bearer token} unless the review said why), so a 401 even with anonymous enabled.
 * The upstream webhook authenticator caches reviews for {@code authentication.webhook.cacheTTL}; this one
 * asks every time (to do with the HTTP reviewer). Thread-safe.
 */
public final class BearerTokenAuthenticator implements Authenticator {
    static final String INVALID_TOKEN = "invalid bearer token";

    private final TokenReviewer reviewer;

    public BearerTokenAuthenticator(TokenReviewer reviewer) {
        this.reviewer = reviewer;
    }

    @Override
    public Future<AuthenticationResult> authenticate(Credentials credentials) {
        String header = credentials.authorizationHeader() == null
                ? ""
                : credentials.authorizationHeader().strip();
        if (header.isEmpty()) {
            return Future.succeededFuture(AuthenticationResult.NOT_MINE);
        }
        // strings.SplitN(auth, " ", 3): the token is the second field, so "Bearer  x" has an empty token
        String[] parts = header.split(" ", 3);
        if (parts.length < 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer") || parts[1].isEmpty()) {
            return Future.succeededFuture(AuthenticationResult.NOT_MINE);
        }
        return reviewer.review(parts[1]).map(status -> {
            if (status.authenticated() && status.user() != null) {
                return new AuthenticationResult.Authenticated(status.user());
            }
            return new AuthenticationResult.Failed(status.error().isEmpty() ? INVALID_TOKEN : status.error());
        });
    }
}
