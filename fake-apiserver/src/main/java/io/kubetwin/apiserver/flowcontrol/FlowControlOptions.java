package io.kubetwin.apiserver.flowcontrol;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --enable-priority-and-fairness}, {@code --max-requests-inflight} and {@code --max-mutating-requests-inflight}
 * with kube-apiserver's defaults (true, 400, 200) and checks. With priority and fairness on, the two limits only
 * size its concurrency, which the fake does not emulate (no request is throttled); off, {@link MaxInFlightLimit}
 * applies them.
 */
public record FlowControlOptions(
        boolean enablePriorityAndFairness, int maxRequestsInFlight, int maxMutatingRequestsInFlight) {

    public static FlowControlOptions defaults() {
        return new FlowControlOptions(true, 400, 200);
    }

    /** ServerRunOptions.Validate, then FeatureOptions.ApplyTo's check; kube-apiserver's texts. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (maxRequestsInFlight < 0) {
            errors.add("--max-requests-inflight can not be negative value");
        }
        if (maxMutatingRequestsInFlight < 0) {
            errors.add("--max-mutating-requests-inflight can not be negative value");
        }
        if (errors.isEmpty() && enablePriorityAndFairness && maxRequestsInFlight + maxMutatingRequestsInFlight <= 0) {
            errors.add("invalid configuration: MaxRequestsInFlight=" + maxRequestsInFlight
                    + " and MaxMutatingRequestsInFlight=" + maxMutatingRequestsInFlight
                    + "; they must add up to something positive");
        }
        return errors;
    }

    /** The pipeline's stage after impersonation: the max-in-flight filter, or nothing under priority and fairness. */
    public Handler<RoutingContext> handler() {
        if (enablePriorityAndFairness || (maxRequestsInFlight == 0 && maxMutatingRequestsInFlight == 0)) {
            return RoutingContext::next;
        }
        return new MaxInFlightLimit(maxRequestsInFlight, maxMutatingRequestsInFlight);
    }
}
