package io.kubetwin.apiserver.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Go's net/http refuses an HTTP/1.1 request without a Host header before any handler runs, so kube-apiserver
 * neither authenticates nor audits it (net/http/server.go readRequest: {@code missing required Host header}).
 * This guard sits in front of the router and answers the same way; HTTP/1.0 and HTTP/2 need no Host.
 */
final class MissingHostGuard implements Handler<HttpServerRequest> {
    static final String TEXT = "400 Bad Request: missing required Host header";
    private final Handler<HttpServerRequest> next;

    MissingHostGuard(Handler<HttpServerRequest> next) {
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_1_1 && request.headers().get("Host") == null) {
            request.response()
                    .setStatusCode(400)
                    .setStatusMessage("Bad Request: missing required Host header")
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .putHeader("Connection", "close")
                    .end(TEXT)
                    .onComplete(done -> request.connection().close());
            return;
        }
        next.handle(request);
    }
}
