package io.kubetwin.auth.authn;

import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code system:anonymous} in group {@code system:unauthenticated}, for requests nothing else recognised.
 * Mirrors k8s.io/apiserver/pkg/authentication/request/anonymous/anonymous.go: with conditions (the 1.34
 * AuthenticationConfiguration {@code anonymous.conditions}) only requests whose path equals one of the
 * condition paths are anonymous, the others are "not mine". The response carries the requested audiences.
 * Immutable and thread-safe.
 */
public final class AnonymousAuthenticator implements Authenticator {
    private final List<String> conditionPaths;

    /** @param conditionPaths the allowed paths; empty means every path (the {@code --anonymous-auth=true} case) */
    public AnonymousAuthenticator(List<String> conditionPaths) {
        this.conditionPaths = List.copyOf(conditionPaths);
    }

    public static AnonymousAuthenticator unconditional() {
        return new AnonymousAuthenticator(List.of());
    }

    public List<String> conditionPaths() {
        return conditionPaths;
    }

    @Override
    public Future<AuthenticationResult> authenticate(AuthenticationRequest request) {
        if (!conditionPaths.isEmpty() && !conditionPaths.contains(request.path())) {
            return Future.succeededFuture(AuthenticationResult.NOT_MINE);
        }
        return Future.succeededFuture(
                new AuthenticationResult.Authenticated(UserInfo.anonymous(), request.audiences()));
    }
}
