package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.audit.LongRunning;
import io.kubetwin.apiserver.request.RequestState;
import io.kubetwin.pki.GoDuration;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;

/**
 * The request deadline stage (WithRequestDeadline in k8s.io/apiserver/pkg/endpoints/filters/request_deadline.go),
 * before authentication: a request that is not long-running and carries a {@code timeout} query parameter
 * Go's time.ParseDuration refuses gets a 400, audited by the failed-request auditor (one ResponseStarted
 * event, no user). The fake does not cut requests at their deadline: its handlers never block.
 */
final class RequestDeadlineHandler implements Handler<RoutingContext> {
    private static final String INVALID_TIMEOUT = "invalid timeout specified in the request URL";

    private final BiConsumer<RoutingContext, String> onFailure;

    /** @param onFailure called with the refusal's message before the 400 is written (the failed-request auditor) */
    RequestDeadlineHandler(BiConsumer<RoutingContext, String> onFailure) {
        this.onFailure = onFailure;
    }

    @Override
    public void handle(RoutingContext rc) {
        RequestState state = RequestState.of(rc);
        String timeout = state.query().first("timeout");
        if (LongRunning.isLongRunning(state.requestInfo()) || timeout == null || timeout.isEmpty()) {
            rc.next();
            return;
        }
        try {
            GoDuration.parse(timeout);
        } catch (IllegalArgumentException e) {
            StatusException refusal = Statuses.badRequest(INVALID_TIMEOUT + " - " + e.getMessage());
            onFailure.accept(rc, refusal.getMessage());
            rc.fail(refusal);
            return;
        }
        rc.next();
    }
}
