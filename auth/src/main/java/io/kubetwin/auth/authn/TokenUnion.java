package io.kubetwin.auth.authn;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Tries token authenticators in order: the first that authenticates wins, even after another one
 * failed; if none does, their errors are aggregated (no error at all is "not mine").
 * Mirrors k8s.io/apiserver/pkg/authentication/token/union/union.go. Immutable and thread-safe.
 */
public final class TokenUnion implements TokenAuthenticator {
    private final List<TokenAuthenticator> authenticators;

    public TokenUnion(List<TokenAuthenticator> authenticators) {
        this.authenticators = List.copyOf(authenticators);
    }

    @Override
    public Future<AuthenticationResult> authenticateToken(String token, List<String> audiences) {
        return next(0, token, audiences, new ArrayList<>());
    }

    private Future<AuthenticationResult> next(int index, String token, List<String> audiences, List<String> errors) {
        if (index == authenticators.size()) {
            return Future.succeededFuture(
                    errors.isEmpty() ? AuthenticationResult.NOT_MINE : new AuthenticationResult.Failed(errors));
        }
        return authenticators.get(index).authenticateToken(token, audiences).compose(result -> {
            if (result instanceof AuthenticationResult.Authenticated) {
                return Future.succeededFuture(result);
            }
            if (result instanceof AuthenticationResult.Failed failed) {
                errors.addAll(failed.causes());
            }
            return next(index + 1, token, audiences, errors);
        });
    }
}
