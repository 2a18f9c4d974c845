package io.kubetwin.kubelet.authn;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet's request authenticator, assembled as
 * k8s.io/apiserver/pkg/authentication/authenticatorfactory/delegating.go assembles it for
 * cmd/kubelet/app/auth.go: a union of x509 (when a client CA is configured) and bearer tokens (when the
 * webhook is enabled), in that order, where the first authenticated answer wins and errors are only
 * reported when nobody authenticated; then {@code system:authenticated} is added to the groups; then,
 * when anonymous is enabled, anonymous behind fail-on-error: it answers {@code system:anonymous} /
 * {@code system:unauthenticated} only when no credential was presented or recognised, never for a bad one.
 * Thread-safe.
 */
public final class DelegatingAuthenticator implements Authenticator {
    static final UserInfo ANONYMOUS = UserInfo.of(UserInfo.ANONYMOUS, UserInfo.UNAUTHENTICATED);

    private final List<Authenticator> union;
    private final boolean anonymous;

    /**
     * @param x509      the client-certificate authenticator, or null without {@code --client-ca-file}
     * @param tokens    the bearer-token authenticator, or null when the token webhook is disabled
     * @param anonymous {@code authentication.anonymous.enabled}
     */
    public DelegatingAuthenticator(Authenticator x509, Authenticator tokens, boolean anonymous) {
        List<Authenticator> list = new ArrayList<>();
        if (x509 != null) {
            list.add(x509);
        }
        if (tokens != null) {
            list.add(tokens);
        }
        this.union = List.copyOf(list);
        this.anonymous = anonymous;
    }

    @Override
    public Future<AuthenticationResult> authenticate(Credentials credentials) {
        return union(credentials, 0, new ArrayList<>()).map(result -> {
            if (result instanceof AuthenticationResult.Authenticated ok) {
                return new AuthenticationResult.Authenticated(withAuthenticatedGroup(ok.user()));
            }
            if (result instanceof AuthenticationResult.NotMine && anonymous) {
                return new AuthenticationResult.Authenticated(ANONYMOUS);
            }
            return result;
        });
    }

    private Future<AuthenticationResult> union(Credentials credentials, int index, List<String> errors) {
        if (index == union.size()) {
            return Future.succeededFuture(
                    errors.isEmpty()
                            ? AuthenticationResult.NOT_MINE
                            : new AuthenticationResult.Failed(
                                    errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]"));
        }
        return call(union.get(index), credentials)
                .recover(e -> Future.succeededFuture(new AuthenticationResult.Failed(String.valueOf(e.getMessage()))))
                .compose(result -> {
                    if (result instanceof AuthenticationResult.Authenticated) {
                        return Future.succeededFuture(result);
                    }
                    if (result instanceof AuthenticationResult.Failed failed) {
                        errors.add(failed.error());
                    }
                    return union(credentials, index + 1, errors);
                });
    }

    /** An authenticator that throws instead of failing its future counts as an error, not a crash. */
    private static Future<AuthenticationResult> call(Authenticator authenticator, Credentials credentials) {
        try {
            return authenticator.authenticate(credentials);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** group.AuthenticatedGroupAdder: adds system:authenticated unless anonymous or already present. */
    static UserInfo withAuthenticatedGroup(UserInfo user) {
        if (user.name().equals(UserInfo.ANONYMOUS)
                || user.groups().contains(UserInfo.AUTHENTICATED)
                || user.groups().contains(UserInfo.UNAUTHENTICATED)) {
            return user;
        }
        List<String> groups = new ArrayList<>(user.groups());
        groups.add(UserInfo.AUTHENTICATED);
        return user.withGroups(groups);
    }
}
