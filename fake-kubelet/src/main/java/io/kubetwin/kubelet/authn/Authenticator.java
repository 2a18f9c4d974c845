package io.kubetwin.kubelet.authn;

import io.vertx.core.Future;

/** One way of authenticating a request (upstream authenticator.Request). */
public interface Authenticator {
    /**
     * Called once per request by the kubelet's auth filter, possibly concurrently from several event loops:
     * implementations are thread-safe and never block. A bad credential is a succeeded future holding
     * {@link AuthenticationResult.Failed}; a failed future means the authenticator itself broke (also a 401).
     */
    Future<AuthenticationResult> authenticate(Credentials credentials);
}
