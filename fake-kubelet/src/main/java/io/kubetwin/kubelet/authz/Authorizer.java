package io.kubetwin.kubelet.authz;

import io.vertx.core.Future;

/** Decides one set of attributes (upstream authorizer.Authorizer). */
public interface Authorizer {
    /**
     * Called by the auth filter once per candidate subresource, concurrently from event loops: never block.
     * A decision is a succeeded future; a failed future is an authorizer error, which the kubelet answers
     * with a 500 {@code Authorization error (...)}.
     */
    Future<Decision> authorize(Attributes attributes);

    /** {@code --authorization-mode=AlwaysAllow}. */
    Authorizer ALWAYS_ALLOW = attributes -> Future.succeededFuture(Decision.ALLOW);
}
