package io.kubetwin.auth.authn;

import io.vertx.core.Future;

/**
 * One way of recognising a caller (x509, static token, service-account JWT, anonymous).
 * Mirrors authenticator.Request in k8s.io/apiserver/pkg/authentication/authenticator/interfaces.go.
 *
 * <p>Called by the authentication stage once per request, on the event loop, possibly concurrently:
 * implementations must be thread-safe and must not block. Lookups that may wait (the service-account
 * store) are returned as a Future. A failed Future means an internal error, not an invalid credential:
 * invalid credentials are {@link AuthenticationResult.Failed}.
 */
public interface Authenticator {
    Future<AuthenticationResult> authenticate(AuthenticationRequest request);
}
