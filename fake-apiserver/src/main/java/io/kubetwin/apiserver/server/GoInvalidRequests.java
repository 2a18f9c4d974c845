package io.kubetwin.apiserver.server;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * What Go's net/http answers an HTTP/1.x request it cannot read, before any handler (so with no audit event):
 * a request line and headers beyond its read limit get {@code 431 Request Header Fields Too Large} (the URL
 * counts against the same limit, so a long URL gets the 431 too, not a 414), anything else it cannot parse a
 * plain {@code 400 Bad Request}; both close the connection.
 */
final class GoInvalidRequests implements Handler<HttpServerRequest> {
    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        boolean tooLarge = cause instanceof TooLongHttpLineException || cause instanceof TooLongHttpHeaderException;
        int code = tooLarge ? 431 : 400;
        String text = tooLarge ? "Request Header Fields Too Large" : "Bad Request";
        request.response()
                .setStatusCode(code)
                .setStatusMessage(text)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Connection", "close")
                .end(code + " " + text)
                .onComplete(done -> request.connection().close());
    }
}
