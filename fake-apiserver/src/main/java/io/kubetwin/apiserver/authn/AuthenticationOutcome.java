package io.kubetwin.apiserver.authn;

import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.pki.GoText;
import java.util.List;

/**
 * What the authentication stage does with a request: go on as this user, or answer the canonical 401
 * ({@code Statuses.unauthorized()}). Produced by {@link AuthenticatorChain#authenticateRequest}.
 */
public sealed interface AuthenticationOutcome {

    /** Continue as {@code user}; {@code audiences} are the credential's audiences (empty when not audience-bound). */
    record Authenticated(UserInfo user, List<String> audiences) implements AuthenticationOutcome {
        public Authenticated {
            audiences = List.copyOf(audiences == null ? List.of() : audiences);
        }
    }

    /**
     * Reject with 401. {@code errors} are what kube-apiserver would log ("Unable to authenticate the
     * request"); empty when the request simply carried no usable credential and anonymous access is off.
     */
    record Unauthenticated(List<String> errors) implements AuthenticationOutcome {
        public Unauthenticated {
            errors = List.copyOf(errors);
        }

        /** The logged error text (utilerrors aggregate), or "" when there is none. */
        public String message() {
            String aggregate = GoText.aggregate(errors);
            return aggregate == null ? "" : aggregate;
        }
    }
}
