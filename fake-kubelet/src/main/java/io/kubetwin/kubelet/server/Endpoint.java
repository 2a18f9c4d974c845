package io.kubetwin.kubelet.server;

import io.vertx.core.http.HttpServerRequest;

/**
 * One handler registered on the kubelet's mux, called on the event loop after the auth filter (on the
 * authenticated server) with the decoded path. Writes its response through {@link Responses}; never blocks.
 */
@FunctionalInterface
public interface Endpoint {
    void handle(HttpServerRequest request, String path);
}
