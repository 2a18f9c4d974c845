package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.audit.AuditSetup;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The audit stage's hooks into the chain, from the {@code --audit-*} flags (ApplyTo in
 * k8s.io/apiserver/pkg/server/options/audit.go): the audit filter, the failed-authentication and failed-request auditors and the
 * Panic hook of one {@link AuditSetup}. Without a policy (or without a backend) the hooks are the setup's own
 * pass-throughs, as upstream: no policy, no events.
 *
 * @param panicAuditor processes the Panic stage; the 500 is written once the returned future completes
 */
record AuditWiring(
        AuditSetup setup,
        Handler<RoutingContext> handler,
        Consumer<RoutingContext> failedAuthenticationAuditor,
        BiConsumer<RoutingContext, String> failedRequestAuditor,
        BiFunction<RoutingContext, Throwable, Future<Void>> panicAuditor) {
    private static final Logger LOG = Logger.getLogger(AuditWiring.class.getName());

    /**
     * Validates the flags, reads the policy and opens the log file and the webhook configuration on a worker
     * thread (file I/O must not stall the event loop); fails with kube-apiserver's start-up error.
     */
    static Future<AuditWiring> create(Vertx vertx, ApiServerConfig config) {
        return vertx.executeBlocking(() -> AuditSetup.create(config.audit(), vertx), false)
                .map(setup -> {
                    if (setup.enabled()) {
                        LOG.info("auditing on: policy " + config.audit().policyFile() + ", backend "
                                + setup.backend().name());
                    } else {
                        LOG.info("auditing off: "
                                + (setup.checker() == null
                                        ? "no --audit-policy-file"
                                        : "no --audit-log-path nor --audit-webhook-config-file"));
                    }
                    return new AuditWiring(
                            setup,
                            setup.auditHandler(),
                            setup.failedAuthenticationAuditor()::auditFailedAuthentication,
                            setup.failedAuthenticationAuditor()::auditFailedRequest,
                            setup.auditHandler()::auditPanic);
                });
    }

    /** Flushes every buffered event and closes the backends, on a worker thread. */
    Future<Void> close(Vertx vertx) {
        return vertx.executeBlocking(
                () -> {
                    setup.close();
                    long missed = setup.missedEvents();
                    if (missed > 0) {
                        LOG.warning("audit: " + missed + " events could not be stored (see the errors logged above)");
                    }
                    return null;
                },
                false);
    }
}
