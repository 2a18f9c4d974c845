package io.kubetwin.apiserver.audit;

import io.kubetwin.apiserver.audit.backend.AuditBackend;
import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.apiserver.audit.policy.PolicyChecker;
import io.kubetwin.apiserver.audit.policy.RequestAuditConfig;
import io.kubetwin.apiserver.request.RequestState;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * The audit stage of the handler chain: mirrors WithAudit in k8s.io/apiserver/pkg/endpoints/filters/audit.go.
 *
 * <p><b>Where to install it.</b> In the chain, right after authentication succeeded and before
 * impersonation (kube-apiserver's order: AuditInit → ... → RequestInfo → Authentication → <b>Audit</b> →
 * Impersonation → ... → Authorization → handlers):
 * <pre>{@code
 * router.route().handler(firstStage);            // AuditInit.auditId/echo + RequestState.attach(rc, id, now)
 * router.route().handler(requestInfoStage);      // state.requestInfo(...)
 * router.route().handler(authenticationStage);   // state.user(...); on failure: failedAuthenticationAuditor
 * router.route().handler(setup.auditHandler());  // <-- here
 * router.route().handler(impersonationStage);    // state.impersonatedUser(...)
 * router.route().handler(authorizationStage);    // state.annotate("authorization.k8s.io/decision", ...)
 * ...
 * router.route().failureHandler(rc -> setup.auditHandler().auditPanic(rc, rc.failure())
 *         .onComplete(x -> statusWriter.internalError(rc)));
 * }</pre>
 * What the rest of the chain must do for exact events:
 * <ul>
 *   <li>end every response through {@link RequestState#end} (or call {@link RequestState#beforeEnd()} before
 *       {@code response().end(...)}), with the status code already set: in blocking modes the response then
 *       completes only after its events are written. A response ended otherwise is still audited, but
 *       possibly after the client saw it;</li>
 *   <li>the status writer calls {@link RequestState#responseStatus(io.kubetwin.apiserver.api.Status)} before
 *       writing a Status body (errors, delete's Success) - not for plain-text errors such as a 404 page;</li>
 *   <li>resource handlers call {@link RequestState#requestObject} with the decoded request body (as defaulted
 *       by decoding, before admission), {@link RequestState#requestPatch} for patch bodies, and
 *       {@link RequestState#responseObject} with every object they write (discovery documents too);</li>
 *   <li>the authorization stage adds {@code authorization.k8s.io/decision} ({@code allow}/{@code forbid}) and
 *       {@code authorization.k8s.io/reason} with {@link RequestState#annotate}.</li>
 * </ul>
 *
 * <p>Per request: evaluates the policy once, with the authenticated user (not the impersonated one); at
 * level None passes the request on untouched. Otherwise processes RequestReceived at once (a blocking-strict
 * backend that fails it fails the request with kube-apiserver's plain-text 500
 * {@code Internal Server Error: "<uri>": failed to store audit event}), ResponseStarted for long-running
 * requests ({@link LongRunning}) when headers are written, and ResponseComplete before the response ends;
 * {@link #auditPanic} processes Panic instead of ResponseComplete. Stages the policy omits are skipped.
 *
 * <p>Thread-safe and stateless across requests; runs on the request's event loop and never blocks it.
 */
public final class AuditHandler implements Handler<RoutingContext> {
    private final PolicyChecker checker;
    private final AuditBackend backend;
    private final Clock clock;

    /** Auditing is off (every request passes through) when either is null. */
    public AuditHandler(PolicyChecker checker, AuditBackend backend) {
        this(checker, backend, Clock.systemUTC());
    }

    public AuditHandler(PolicyChecker checker, AuditBackend backend, Clock clock) {
        this.checker = checker;
        this.backend = backend;
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext rc) {
        if (checker == null || backend == null) {
            rc.next();
            return;
        }
        RequestState state = RequestState.of(rc);
        RequestAuditConfig config = checker.evaluate(state.requestInfo().attributesFor(state.user()));
        if (!config.enabled()) {
            rc.next();
            return;
        }
        AuditContext ctx = new AuditContext(
                config, backend, clock, rc, state, LongRunning.isLongRunning(state.requestInfo()), true);
        state.extension(AuditContext.class, ctx);
        ctx.process(Stage.REQUEST_RECEIVED).onComplete(stored -> {
            if (!stored.result()) {
                ctx.finished = true;
                internalError(rc, "failed to store audit event");
                return;
            }
            rc.addHeadersEndHandler(v -> headersWritten(ctx));
            state.onProtocolSwitch(() -> headersWritten(ctx));
            state.beforeResponseEnd(() -> {
                // the writer set the status code and is about to send the response
                ctx.captureCode();
                return complete(ctx);
            });
            rc.addEndHandler(ended -> {
                // ended without the before-end hook (or the connection closed): the code is known only
                // if headers went out
                if (!ctx.finished) {
                    complete(ctx);
                }
            });
            rc.next();
        });
    }

    /** The response's headers are going out: its code is known, long-running requests start now. */
    private static void headersWritten(AuditContext ctx) {
        ctx.captureCode();
        if (ctx.longRunning && !ctx.startedProcessed && !ctx.finished) {
            ctx.startedProcessed = true;
            ctx.process(Stage.RESPONSE_STARTED);
        }
    }

    /** The response is about to end (or ended): ResponseStarted if still due, then ResponseComplete. */
    private static Future<Void> complete(AuditContext ctx) {
        if (ctx.finished) {
            return Future.succeededFuture();
        }
        ctx.finished = true;
        Future<Boolean> started = Future.succeededFuture(true);
        if (ctx.longRunning && !ctx.startedProcessed) {
            ctx.startedProcessed = true;
            started = ctx.process(Stage.RESPONSE_STARTED);
        }
        return started.compose(x -> ctx.process(Stage.RESPONSE_COMPLETE)).mapEmpty();
    }

    /**
     * The handler failed with an unexpected exception (kube-apiserver: it panicked): processes the Panic
     * stage, with responseStatus {@code 500 Failure InternalError "APIServer panic'd: <throwable>"}, and no
     * ResponseComplete. Called by the chain's failure handler before it writes the 500; the future completes
     * once the event is handed over (written, in blocking modes). Does nothing for requests that are not
     * audited or already finished.
     */
    public Future<Void> auditPanic(RoutingContext rc, Throwable failure) {
        RequestState state;
        try {
            state = RequestState.of(rc);
        } catch (IllegalStateException e) {
            return Future.succeededFuture();
        }
        AuditContext ctx = state.extension(AuditContext.class);
        if (ctx == null || ctx.finished) {
            return Future.succeededFuture();
        }
        ctx.finished = true;
        ctx.panic(failure);
        return ctx.process(Stage.PANIC).mapEmpty();
    }

    /** responsewriters.InternalError: a plain-text 500 naming the request URI. */
    static void internalError(RoutingContext rc, String error) {
        String text = "Internal Server Error: " + GoText.quote(rc.request().uri()) + ": " + error;
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        rc.response()
                .setStatusCode(500)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(text + "\n");
    }
}
