package io.kubetwin.apiserver.flowcontrol;

import io.kubetwin.apiserver.audit.LongRunning;
import io.kubetwin.apiserver.request.RequestInfo;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * kube-apiserver's max-in-flight filter (k8s.io/apiserver/pkg/server/filters/maxinflight.go), which runs in place
 * of priority and fairness when {@code --enable-priority-and-fairness=false}: at most {@code --max-requests-inflight}
 * reads (get, list, watch) and {@code --max-mutating-requests-inflight} other requests at once, long-running
 * requests not counted, a limit of 0 meaning none. A request over the limit gets 429 in plain text with
 * {@code Retry-After: 1}, unless its user (the impersonated one, as the filter sits after impersonation) is in
 * {@code system:masters}. A request holds its place until its response ends or its connection closes.
 */
public final class MaxInFlightLimit implements Handler<RoutingContext> {
    private static final Set<String> NON_MUTATING_VERBS = Set.of("get", "list", "watch");
    private static final String PRIVILEGED_GROUP = "system:masters";

    private final Slots readOnly;
    private final Slots mutating;

    public MaxInFlightLimit(int maxRequestsInFlight, int maxMutatingRequestsInFlight) {
        this.readOnly = new Slots(maxRequestsInFlight);
        this.mutating = new Slots(maxMutatingRequestsInFlight);
    }

    @Override
    public void handle(RoutingContext rc) {
        RequestState state = RequestState.of(rc);
        RequestInfo info = state.requestInfo();
        if (LongRunning.isLongRunning(info)) {
            rc.next();
            return;
        }
        Slots slots = info != null && NON_MUTATING_VERBS.contains(info.verb()) ? readOnly : mutating;
        if (slots.tryAcquire()) {
            rc.addEndHandler(ended -> slots.release());
            rc.next();
            return;
        }
        var user = state.effectiveUser();
        if (user != null && user.groups().contains(PRIVILEGED_GROUP)) {
            rc.next();
            return;
        }
        rc.response()
                .setStatusCode(429)
                .putHeader("Retry-After", "1")
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff");
        state.end(rc, Buffer.buffer("Too many requests, please try again later.\n"));
    }

    /** A counting semaphore that never blocks; a limit of 0 admits everything. */
    private static final class Slots {
        private final int limit;
        private final AtomicInteger inFlight = new AtomicInteger();

        Slots(int limit) {
            this.limit = limit;
        }

        boolean tryAcquire() {
            if (limit == 0) {
                return true;
            }
            while (true) {
                int now = inFlight.get();
                if (now >= limit) {
                    return false;
                }
                if (inFlight.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (limit != 0) {
                inFlight.decrementAndGet();
            }
        }
    }
}
