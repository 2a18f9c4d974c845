package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.authn.AuthenticationHandler;
import io.kubetwin.apiserver.authz.AuthorizationHandler;
import io.kubetwin.apiserver.request.BodyCollector;
import io.kubetwin.apiserver.request.GoRequestPath;
import io.kubetwin.apiserver.request.RequestInitHandler;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/**
 * The one place where the request pipeline is assembled, in kube-apiserver's order
 * (DefaultBuildHandlerChain in k8s.io/apiserver/pkg/server/config.go, read from the client inwards):
 * audit ID and request info, the request deadline (400 for a bad timeout), authentication (401 plus its own audit event), audit, impersonation, the
 * max-in-flight limit (429, without priority and fairness), authorization (403), then discovery or the resource handlers (which run admission inside, just
 * before storage). Every error leaves through the status writer installed last, and every response ends
 * through {@link RequestState#end} so that audit's blocking modes write its events before it completes.
 */
final class HandlerChain {
    private static final int PIPELINE_STAGES = 9;

    private HandlerChain() {}

    static Router assemble(Vertx vertx, ApiServerComponents c, Clock clock) {
        Router router = Router.router(vertx);
        List<Handler<RoutingContext>> stages = List.of(
                GoRequestPath.handler(),
                new RequestInitHandler(clock),
                new RequestDeadlineHandler(c.failedRequestAuditor()),
                new BodyCollector(BodyCollector.MAX_REQUEST_BODY_BYTES),
                new AuthenticationHandler(c.authenticator(), c.failedAuthenticationAuditor()),
                c.auditHandler(),
                c.impersonationHandler(),
                c.inFlightLimit(),
                new AuthorizationHandler(c.authorizer()));
        if (stages.size() != PIPELINE_STAGES) {
            throw new IllegalStateException("PIPELINE_STAGES must count the pipeline's stages");
        }
        stages.forEach(stage -> router.route().handler(stage));

        // a path Go keeps with empty or dot segments: kube-apiserver's director and go-restful see it as it is,
        // where Vert.x would route its normalised form
        router.route().handler(rc -> {
            GoRequestPath path = GoRequestPath.of(rc);
            if (path.canonical()) {
                rc.next();
            } else if (c.discovery().goRestfulRoot(path.path())) {
                // go-restful matches its templates against the path as it is ("." can be a name)
                c.resourceHandler().handle(rc);
            } else {
                pageNotFound(rc);
            }
        });
        c.discovery().install(router);
        c.issuerMetadata().install(router);
        c.openApi().install(router);
        router.route("/api/*").handler(c.resourceHandler());
        router.route("/apis/*").handler(c.resourceHandler());
        // Paths outside the API answer as Go's mux does: plain text, not a Status.
        router.route().handler(HandlerChain::pageNotFound);
        router.route().failureHandler(new StatusErrorHandler(c.responseWriter(), c.panicAuditor()));
        return router;
    }

    private static void pageNotFound(RoutingContext rc) {
        rc.response()
                .setStatusCode(404)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff");
        RequestState.of(rc).end(rc, Buffer.buffer("404 page not found\n"));
    }

    /**
     * A route served after every stage of the pipeline and before the API's routes, as if it were one of the
     * API's handlers: for tests in this package that need a handler the API does not have (one that fails).
     */
    static Route handlerRoute(Router router, String path) {
        // Vert.x numbers routes from 1, so the pipeline's are 1..PIPELINE_STAGES; a route of equal order goes after
        return router.route(path).order(PIPELINE_STAGES);
    }
}
