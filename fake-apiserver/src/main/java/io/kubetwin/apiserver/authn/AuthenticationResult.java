package io.kubetwin.apiserver.authn;

import java.util.List;

/**
 * The three answers of an authenticator, as in k8s.io/apiserver/pkg/authentication/authenticator:
 * the credential is not one this authenticator handles, it identifies a user, or it is invalid.
 * An invalid credential is a 401 even when anonymous access is on (FailOnError).
 */
public sealed interface AuthenticationResult {

    /** Not a credential this authenticator understands (or no credential at all). */
    record NotMine() implements AuthenticationResult {}

    /** A valid credential; audiences are the token's audiences, empty when not audience-bound. */
    record Authenticated(UserInfo user, List<String> audiences) implements AuthenticationResult {
        public Authenticated {
            audiences = List.copyOf(audiences == null ? List.of() : audiences);
        }

        public Authenticated(UserInfo user) {
            this(user, List.of());
        }
    }

    /** A credential of this kind that is invalid; the message is logged and shown in TokenReview status.error. */
    record Failed(String error) implements AuthenticationResult {}

    AuthenticationResult NOT_MINE = new NotMine();
}
