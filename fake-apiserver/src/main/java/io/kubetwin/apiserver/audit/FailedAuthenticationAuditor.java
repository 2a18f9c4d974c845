package io.kubetwin.apiserver.audit;

import io.kubetwin.apiserver.audit.backend.AuditBackend;
import io.kubetwin.apiserver.audit.event.ResponseStatus;
import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.apiserver.audit.policy.PolicyChecker;
import io.kubetwin.apiserver.audit.policy.RequestAuditConfig;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Audit of requests that failed authentication: mirrors WithFailedAuthenticationAudit in
 * k8s.io/apiserver/pkg/endpoints/filters/authn_audit.go (and withFailedRequestAudit, its twin for the request
 * deadline's 400, through {@link #auditFailedRequest}). The policy is evaluated without a user (so rules
 * naming users or groups never match) and the request gets exactly one event, at stage ResponseStarted,
 * when the 401 is written: {@code "user":{}}, and the responseStatus of the Status written (in v1.34,
 * {@code Failure / Unauthorized / Unauthorized / 401}, plus the Status as responseObject at RequestResponse),
 * or, when no Status body is written, {@code Authentication failed, attempted: <methods>} /
 * {@code Authentication failed, no credentials provided} with the code. No RequestReceived, no
 * ResponseComplete; a policy omitting ResponseStarted therefore records nothing.
 *
 * <p><b>Where to call it.</b> From the authentication stage, after the authenticators failed (or found no
 * credential with anonymous access off) and before it writes the 401 through the status writer and
 * {@link RequestState#end}:
 * <pre>{@code
 * setup.failedAuthenticationAuditor().auditFailedAuthentication(rc);
 * statusWriter.write(rc, Statuses.unauthorized());   // sets state.responseStatus(...), then state.end(...)
 * }</pre>
 * Thread-safe; runs on the request's event loop.
 */
public final class FailedAuthenticationAuditor {
    private final PolicyChecker checker;
    private final AuditBackend backend;
    private final Clock clock;

    public FailedAuthenticationAuditor(PolicyChecker checker, AuditBackend backend) {
        this(checker, backend, Clock.systemUTC());
    }

    public FailedAuthenticationAuditor(PolicyChecker checker, AuditBackend backend, Clock clock) {
        this.checker = checker;
        this.backend = backend;
        this.clock = clock;
    }

    /** Arranges the failed-authentication event of this request; does nothing when it is not audited. */
    public void auditFailedAuthentication(RoutingContext rc) {
        auditFailedRequest(rc, authenticationMethods(rc));
    }

    /**
     * The same single ResponseStarted event for a request refused before authentication
     * (withFailedRequestAudit in filters/request_deadline.go): {@code message} is the refusal's
     * StatusError text, kept when the Status written carries none.
     */
    public void auditFailedRequest(RoutingContext rc, String message) {
        if (checker == null || backend == null) {
            return;
        }
        RequestState state = RequestState.of(rc);
        RequestAuditConfig config = checker.evaluate(state.requestInfo().attributesFor(null));
        if (!config.enabled()) {
            return;
        }
        AuditContext ctx = new AuditContext(config, backend, clock, rc, state, true, false);
        ctx.initialStatus(new ResponseStatus("", "", "", null, 0).withMessage(message));
        state.extension(AuditContext.class, ctx);
        rc.addHeadersEndHandler(v -> {
            ctx.captureCode();
            started(ctx);
        });
        state.beforeResponseEnd(() -> {
            ctx.captureCode();
            return started(ctx);
        });
    }

    private static Future<Void> started(AuditContext ctx) {
        if (ctx.finished) {
            return Future.succeededFuture();
        }
        ctx.finished = true;
        ctx.startedProcessed = true;
        return ctx.process(Stage.RESPONSE_STARTED).mapEmpty();
    }

    /** getAuthMethods: which credentials the request carried. */
    static String authenticationMethods(RoutingContext rc) {
        List<String> methods = new ArrayList<>();
        String authorization = rc.request().getHeader("Authorization");
        if (isBasic(authorization)) {
            methods.add("basic");
        }
        String[] parts =
                authorization == null ? new String[0] : authorization.strip().split(" ", -1);
        if (parts.length > 1 && parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
            methods.add("bearer");
        }
        String token = RequestState.of(rc).query().first("access_token");
        if (token != null && !token.strip().isEmpty()) {
            methods.add("access_token");
        }
        if (hasPeerCertificates(rc)) {
            methods.add("x509");
        }
        return methods.isEmpty()
                ? "Authentication failed, no credentials provided"
                : "Authentication failed, attempted: " + String.join(", ", methods);
    }

    private static boolean isBasic(String authorization) {
        if (authorization == null
                || authorization.length() < 6
                || !authorization.substring(0, 6).equalsIgnoreCase("Basic ")) {
            return false;
        }
        try {
            return new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.ISO_8859_1)
                            .indexOf(':')
                    >= 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean hasPeerCertificates(RoutingContext rc) {
        if (!rc.request().isSSL()) {
            return false;
        }
        try {
            return !rc.request().connection().peerCertificates().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}
