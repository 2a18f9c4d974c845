package io.kubetwin.apiserver.authz;

import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.request.RequestState;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The authorization stage (filters/authorization.go): asks the authorizer about the request's
 * attributes for its effective user, records the decision and reason as audit annotations, and
 * answers 403 with the exact Forbidden text, or 500 when the authorizer fails.
 */
public final class AuthorizationHandler implements Handler<RoutingContext> {
    private static final Logger LOG = Logger.getLogger(AuthorizationHandler.class.getName());
    public static final String DECISION_ANNOTATION = "authorization.k8s.io/decision";
    public static final String REASON_ANNOTATION = "authorization.k8s.io/reason";

    private final Authorizer authorizer;

    public AuthorizationHandler(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public void handle(RoutingContext rc) {
        RequestState state = RequestState.of(rc);
        Attributes attributes = state.attributes();
        Decision decision;
        try {
            decision = authorizer.authorize(attributes);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "authorizer failed", e);
            state.annotate(REASON_ANNOTATION, "internal error");
            rc.fail(Statuses.internalError(e.getMessage()));
            return;
        }
        if (decision.isAllowed()) {
            state.annotate(DECISION_ANNOTATION, "allow");
            state.annotate(REASON_ANNOTATION, decision.reason());
            rc.next();
            return;
        }
        state.annotate(DECISION_ANNOTATION, "forbid");
        state.annotate(REASON_ANNOTATION, decision.reason());
        rc.fail(ForbiddenMessages.forbidden(attributes, decision.reason()));
    }
}
