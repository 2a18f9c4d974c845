package io.kubetwin.kubelet.webhook;

import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.TokenAuthenticator;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code --authentication-token-webhook}: who a bearer token belongs to, asked of the apiserver with a TokenReview
 * (k8s.io/apiserver/plugin/pkg/authenticator/token/webhook/webhook.go) behind the token cache the delegating
 * authenticator puts in front of it (token/cache/cached_token_authenticator.go with
 * {@code authentication.webhook.cacheTTL} for both outcomes): an authenticated token is that user; a token the
 * apiserver does not authenticate is "not mine" (the bearer-token authenticator turns it into
 * {@code invalid bearer token}), or an error carrying {@code status.error} when the review gave one; a review that
 * failed is an error. Errors are not cached (upstream keeps them only for the instant that joins concurrent
 * callers). Thread-safe.
 */
public final class WebhookTokenAuthenticator implements TokenAuthenticator {
    private final ReviewClient client;
    private final Duration ttl;
    private final TtlCache<AuthenticationResult> cache;

    public WebhookTokenAuthenticator(ReviewClient client, Duration ttl, Clock clock) {
        this.client = client;
        this.ttl = ttl;
        this.cache = new TtlCache<>(clock);
    }

    @Override
    public Future<AuthenticationResult> authenticateToken(String token, List<String> audiences) {
        String key = audiences + "|" + token;
        AuthenticationResult cached = cache.get(key);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return client.tokenReview(token)
                .map(status -> {
                    if (status.authenticated() && status.user() != null) {
                        AuthenticationResult ok = new AuthenticationResult.Authenticated(status.user());
                        cache.put(key, ok, ttl);
                        return ok;
                    }
                    if (!status.error().isEmpty()) {
                        return (AuthenticationResult) new AuthenticationResult.Failed(status.error());
                    }
                    cache.put(key, AuthenticationResult.NOT_MINE, ttl);
                    return AuthenticationResult.NOT_MINE;
                })
                .otherwise(e -> new AuthenticationResult.Failed(String.valueOf(e.getMessage())));
    }
}
