package io.kubetwin.auth.authn;

import io.vertx.core.Future;
import java.util.List;

/**
 * One way of recognising a bearer token (static token file, service-account JWT). Mirrors
 * authenticator.Token in k8s.io/apiserver/pkg/authentication/authenticator/interfaces.go; the request
 * authenticator around it is {@link BearerTokenAuthenticator}.
 *
 * <p>Called once per request carrying a bearer token, on the event loop, possibly concurrently:
 * implementations must be thread-safe and must not block. The answer is one of the three
 * {@link AuthenticationResult}s; a failed Future means an internal error, not an invalid token.
 */
public interface TokenAuthenticator {

    /**
     * @param token the bearer token, never empty
     * @param audiences the audiences the token is asked to be valid for (upstream: the audiences in the
     *                  request context); empty when none were set
     */
    Future<AuthenticationResult> authenticateToken(String token, List<String> audiences);
}
