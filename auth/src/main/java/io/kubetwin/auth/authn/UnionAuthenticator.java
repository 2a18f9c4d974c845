package io.kubetwin.auth.authn;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Request authenticators tried in order. Mirrors k8s.io/apiserver/pkg/authentication/request/union/union.go:
 * the first that authenticates wins; an error from one does not stop the others (so a bad client
 * certificate with a good token still authenticates) unless the union is fail-on-error, where the first
 * error is the answer; with no success the errors are aggregated, and no error at all is "not mine".
 * Immutable and thread-safe.
 */
public final class UnionAuthenticator implements Authenticator {
    private final List<Authenticator> authenticators;
    private final boolean failOnError;

    private UnionAuthenticator(List<Authenticator> authenticators, boolean failOnError) {
        this.authenticators = List.copyOf(authenticators);
        this.failOnError = failOnError;
    }

    /** union.New. */
    public static Authenticator of(List<Authenticator> authenticators) {
        return authenticators.size() == 1 ? authenticators.get(0) : new UnionAuthenticator(authenticators, false);
    }

    /** union.NewFailOnError. */
    public static Authenticator failOnError(List<Authenticator> authenticators) {
        return authenticators.size() == 1 ? authenticators.get(0) : new UnionAuthenticator(authenticators, true);
    }

    @Override
    public Future<AuthenticationResult> authenticate(AuthenticationRequest request) {
        return next(0, request, new ArrayList<>());
    }

    private Future<AuthenticationResult> next(int index, AuthenticationRequest request, List<String> errors) {
        if (index == authenticators.size()) {
            return Future.succeededFuture(
                    errors.isEmpty() ? AuthenticationResult.NOT_MINE : new AuthenticationResult.Failed(errors));
        }
        return authenticators.get(index).authenticate(request).compose(result -> {
            if (result instanceof AuthenticationResult.Authenticated) {
                return Future.succeededFuture(result);
            }
            if (result instanceof AuthenticationResult.Failed failed) {
                if (failOnError) {
                    return Future.succeededFuture(result);
                }
                errors.addAll(failed.causes());
            }
            return next(index + 1, request, errors);
        });
    }
}
