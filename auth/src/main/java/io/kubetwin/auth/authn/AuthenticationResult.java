package io.kubetwin.auth.authn;

import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.pki.GoText;
import java.util.LinkedHashSet;
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

    /**
     * A credential of this kind that is invalid; the message is logged and shown in TokenReview status.error.
     * Unions aggregate failures as utilerrors.NewAggregate does; since a printed aggregate flattens nested ones
     * and drops repeated messages, a failure keeps its distinct leaf messages ({@code causes}) in order.
     */
    record Failed(List<String> causes) implements AuthenticationResult {
        public Failed {
            causes = List.copyOf(new LinkedHashSet<>(causes));
            if (causes.isEmpty()) {
                throw new IllegalArgumentException("a failure needs a message");
            }
        }

        public Failed(String error) {
            this(List.of(error));
        }

        /** The message as Go prints the (aggregate) error: the one message, or {@code [a, b]}. */
        public String error() {
            return GoText.aggregate(causes);
        }
    }

    AuthenticationResult NOT_MINE = new NotMine();
}
