package io.kubetwin.auth.authn;

import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends {@code system:authenticated} to every authenticated user except {@code system:anonymous} and
 * users that already carry {@code system:authenticated} or {@code system:unauthenticated}.
 * Mirrors k8s.io/apiserver/pkg/authentication/group/authenticated_group_adder.go. Thread-safe.
 */
public final class AuthenticatedGroupAdder implements Authenticator {
    private final Authenticator delegate;

    public AuthenticatedGroupAdder(Authenticator delegate) {
        this.delegate = delegate;
    }

    @Override
    public Future<AuthenticationResult> authenticate(AuthenticationRequest request) {
        return delegate.authenticate(request).map(result -> {
            if (result instanceof AuthenticationResult.Authenticated ok) {
                return new AuthenticationResult.Authenticated(addGroup(ok.user()), ok.audiences());
            }
            return result;
        });
    }

    /** The user as the adder leaves it. */
    public static UserInfo addGroup(UserInfo user) {
        if (user.name().equals(UserInfo.ANONYMOUS)
                || user.inGroup(UserInfo.ALL_AUTHENTICATED)
                || user.inGroup(UserInfo.ALL_UNAUTHENTICATED)) {
            return user;
        }
        List<String> groups = new ArrayList<>(user.groups());
        groups.add(UserInfo.ALL_AUTHENTICATED);
        return user.withGroups(groups);
    }
}
