package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.api.ResponseWriter;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where errors reach the client. A {@link StatusException} becomes its Status body
 * (with the extra header the Forbidden writer adds, responsewriters/errors.go); anything else is a
 * handler failure and gets kube-apiserver's panic answer (filters/WithPanicRecovery) after the
 * panic hook (audit's Panic stage) has run.
 */
final class StatusErrorHandler implements Handler<RoutingContext> {
    private static final Logger LOG = Logger.getLogger(StatusErrorHandler.class.getName());
    static final String PANIC_BODY = "This request caused apiserver to panic. Look in the logs for details.\n";

    private final ResponseWriter writer;
    private final BiConsumer<RoutingContext, Throwable> onPanic;

    StatusErrorHandler(ResponseWriter writer, BiConsumer<RoutingContext, Throwable> onPanic) {
        this.writer = writer;
        this.onPanic = onPanic;
    }

    @Override
    public void handle(RoutingContext rc) {
        Throwable failure = rc.failure();
        if (rc.response().ended() || rc.response().headWritten()) {
            LOG.log(Level.FINE, "error after the response started", failure);
            if (!rc.response().ended()) {
                rc.response().reset();
            }
            return;
        }
        if (failure instanceof StatusException statusError) {
            Status status = statusError.status();
            RequestState state = rc.get(RequestState.class.getName());
            if (state != null) {
                state.responseStatus(status);
            }
            if (status.code() == 403) {
                rc.response().putHeader("X-Content-Type-Options", "nosniff");
            }
            writer.writeJson(rc.request(), rc.response(), status.code(), status);
            return;
        }
        if (failure == null) {
            // rc.fail(code) without a cause: only the router does this (e.g. 405/404 of its own)
            rc.response().setStatusCode(rc.statusCode() > 0 ? rc.statusCode() : 500).end();
            return;
        }
        LOG.log(Level.SEVERE, "request handler failed: " + rc.request().uri(), failure);
        onPanic.accept(rc, failure);
        rc.response().setStatusCode(500)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(PANIC_BODY);
    }
}
