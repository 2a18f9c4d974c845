package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.authn.AuthenticationHandler;
import io.kubetwin.apiserver.authz.AuthorizationHandler;
import io.kubetwin.apiserver.request.BodyCollector;
import io.kubetwin.apiserver.request.RequestInitHandler;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * The one place where the request pipeline is assembled, in kube-apiserver's order
 * (DefaultBuildHandlerChain in k8s.io/apiserver/pkg/server/config.go, read from the client inwards):
 * audit ID and request info, authentication (401 plus its own audit event), audit, impersonation,
 * authorization (403), then discovery or the resource handlers (which run admission inside, just
 * before storage). Every error leaves through the status writer installed last, and every response ends
 * through {@link RequestState#end} so that audit's blocking modes write its events before it completes.
 */
final class HandlerChain {
    private HandlerChain() {}

    static Router assemble(Vertx vertx, ApiServerComponents c, Clock clock) {
        Router router = Router.router(vertx);
        router.route().handler(new RequestInitHandler(clock));
        router.route().handler(new BodyCollector(BodyCollector.MAX_REQUEST_BODY_BYTES));
        router.route().handler(new AuthenticationHandler(c.authenticator(), c.failedAuthenticationAuditor()));
        router.route().handler(c.auditHandler());
        router.route().handler(c.impersonationHandler());
        router.route().handler(new AuthorizationHandler(c.authorizer()));

        c.discovery().install(router);
        c.openApi().install(router);
        router.route("/api/*").handler(c.resourceHandler());
        router.route("/apis/*").handler(c.resourceHandler());
        // Paths outside the API answer as Go's mux does: plain text, not a Status.
        router.route().handler(rc -> {
            rc.response().setStatusCode(404)
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .putHeader("X-Content-Type-Options", "nosniff");
            RequestState.of(rc).end(rc, Buffer.buffer("404 page not found\n"));
        });
        router.route().failureHandler(new StatusErrorHandler(c.responseWriter(), c.panicAuditor()));
        return router;
    }
}
