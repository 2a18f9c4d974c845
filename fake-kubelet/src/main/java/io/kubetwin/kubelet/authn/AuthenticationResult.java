package io.kubetwin.kubelet.authn;

/**
 * The three answers of an upstream authenticator.Request: not this authenticator's credential, this user,
 * or an error (a credential that is present but bad). Errors only reach the log: the kubelet answers
 * every failure with the same 401 {@code Unauthorized}.
 */
public sealed interface AuthenticationResult {
    NotMine NOT_MINE = new NotMine();

    /** No credential of this kind (upstream: {@code nil, false, nil}). */
    record NotMine() implements AuthenticationResult {}

    /** Authenticated (upstream: {@code resp, true, nil}). */
    record Authenticated(UserInfo user) implements AuthenticationResult {}

    /** A credential that failed (upstream: a non-nil error); {@code error} is for the log. */
    record Failed(String error) implements AuthenticationResult {}
}
