package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.api.GoYaml;
import io.kubetwin.apiserver.api.MediaNegotiation;
import io.kubetwin.apiserver.api.ResponseWriter;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.BiFunction;
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
    private final BiFunction<RoutingContext, Throwable, Future<Void>> onPanic;

    StatusErrorHandler(ResponseWriter writer, BiFunction<RoutingContext, Throwable, Future<Void>> onPanic) {
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
        RequestState state = rc.get(RequestState.class.getName());
        if (failure instanceof StatusException statusError) {
            Status status = statusError.status();
            Optional<MediaNegotiation.Outcome> negotiated = negotiate(rc);
            if (state != null && negotiated.isPresent()) {
                // audit copies it into responseStatus (and logs it as responseObject at RequestResponse); a Status
                // written raw because the Accept header negotiates nothing is never logged (WriteObjectNegotiated
                // returns before audit.LogResponseObject), so its event carries the code alone
                state.responseStatus(status);
            }
            if (status.code() == 403) {
                rc.response().putHeader("X-Content-Type-Options", "nosniff");
            }
            if (negotiated.map(o -> o.mediaType().equals(MediaNegotiation.YAML)).orElse(false)) {
                // the YAML serializer: sigs.k8s.io/yaml's conversion of the Status' JSON
                GoYaml.Answer answer = GoYaml.answer(status.code(), writer.tree(status));
                rc.response().setStatusCode(answer.code()).putHeader("Content-Type", MediaNegotiation.YAML);
                end(rc, state, Buffer.buffer(answer.text()));
                return;
            }
            rc.response().setStatusCode(status.code()).putHeader("Content-Type", "application/json");
            String text = negotiated.isPresent() ? writer.encode(rc.request(), status) : writer.indented(status);
            end(rc, state, Buffer.buffer(text));
            return;
        }
        if (failure == null) {
            // rc.fail(code) without a cause: only the router does this (e.g. 405/404 of its own)
            rc.response().setStatusCode(rc.statusCode() > 0 ? rc.statusCode() : 500);
            end(rc, state, Buffer.buffer());
            return;
        }
        LOG.log(Level.SEVERE, "request handler failed: " + rc.request().uri(), failure);
        // the Panic event is written (in blocking modes) before the client sees the 500, as in WithAudit
        onPanic.apply(rc, failure).onComplete(audited -> {
            if (rc.response().ended()) {
                return;
            }
            rc.response()
                    .setStatusCode(500)
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .putHeader("X-Content-Type-Options", "nosniff");
            end(rc, state, Buffer.buffer(PANIC_BODY));
        });
    }

    /**
     * responsewriters.ErrorNegotiated: the Status in the serializer the Accept header negotiates with the default
     * restrictions (JSON, or YAML; the fake writes JSON for protobuf), or, when it negotiates none, as WriteRawJSON
     * writes it (JSON, indented, no trailing newline).
     */
    private static Optional<MediaNegotiation.Outcome> negotiate(RoutingContext rc) {
        return MediaNegotiation.negotiate(rc.request().getHeader("Accept"), MediaNegotiation.NO_CONVERSION);
    }

    /** Ends through the request's before-end work (audit's ResponseComplete) when the chain got that far. */
    private static void end(RoutingContext rc, RequestState state, Buffer body) {
        if (state != null) {
            state.end(rc, body);
        } else {
            rc.response().end(body);
        }
    }
}
