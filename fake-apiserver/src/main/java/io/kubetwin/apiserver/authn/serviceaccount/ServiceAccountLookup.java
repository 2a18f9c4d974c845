package io.kubetwin.apiserver.authn.serviceaccount;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Reads the stored objects a service-account token refers to (the role of ServiceAccountTokenGetter in
 * pkg/serviceaccount/jwt.go). Called by {@link ServiceAccountTokenAuthenticator} once per token use, on the
 * event loop, possibly concurrently: thread-safe and non-blocking. Empty means "does not exist"; a failed
 * Future is an internal error and rejects the token with its message.
 *
 * <p>The bound-object methods default to "does not exist", which invalidates every pod-, secret- and
 * node-bound token: a store that serves such tokens must implement them.
 */
@FunctionalInterface
public interface ServiceAccountLookup {

    Future<Optional<ServiceAccountRef>> find(String namespace, String name);

    default Future<Optional<BoundObject>> findPod(String namespace, String name) {
        return Future.succeededFuture(Optional.empty());
    }

    default Future<Optional<BoundObject>> findSecret(String namespace, String name) {
        return Future.succeededFuture(Optional.empty());
    }

    default Future<Optional<BoundObject>> findNode(String name) {
        return Future.succeededFuture(Optional.empty());
    }
}
