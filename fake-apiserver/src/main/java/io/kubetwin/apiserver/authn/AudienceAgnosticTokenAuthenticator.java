package io.kubetwin.apiserver.authn;

import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.TokenAuthenticator;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import java.util.List;

/**
 * Makes a token authenticator that knows nothing of audiences (the static token file) answer as if its
 * tokens were valid for exactly the API audiences: a request for other audiences is "not mine", and an
 * accepted token carries the requested audiences it shares with the API audiences.
 * Mirrors WrapAudienceAgnosticToken in k8s.io/apiserver/pkg/authentication/authenticator/audagnostic.go.
 */
public final class AudienceAgnosticTokenAuthenticator implements TokenAuthenticator {
    private final List<String> implicitAudiences;
    private final TokenAuthenticator delegate;

    public AudienceAgnosticTokenAuthenticator(List<String> apiAudiences, TokenAuthenticator delegate) {
        this.implicitAudiences = List.copyOf(apiAudiences);
        this.delegate = delegate;
    }

    @Override
    public Future<AuthenticationResult> authenticateToken(String token, List<String> audiences) {
        if (audiences.isEmpty()) {
            // upstream: no audiences in the context, authenticate without audience semantics
            return delegate.authenticateToken(token, audiences);
        }
        List<String> shared = Audiences.intersect(implicitAudiences, audiences);
        if (shared.isEmpty()) {
            return Future.succeededFuture(AuthenticationResult.NOT_MINE);
        }
        return delegate.authenticateToken(token, audiences).map(result -> {
            if (result instanceof AuthenticationResult.Authenticated ok) {
                if (!ok.audiences().isEmpty()) {
                    return new AuthenticationResult.Failed("audience agnostic authenticator wrapped an authenticator "
                            + "that returned audiences: " + GoText.quoteList(ok.audiences()));
                }
                return new AuthenticationResult.Authenticated(ok.user(), shared);
            }
            return result;
        });
    }
}
