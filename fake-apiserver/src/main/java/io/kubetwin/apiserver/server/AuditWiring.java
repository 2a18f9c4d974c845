package io.kubetwin.apiserver.server;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The audit stage's hooks into the chain; without an audit policy, explicit pass-throughs (as upstream: no policy, no events). */
record AuditWiring(Handler<RoutingContext> handler, Consumer<RoutingContext> failedAuthenticationAuditor,
                   BiConsumer<RoutingContext, Throwable> panicAuditor) {

    static AuditWiring create(Vertx vertx, ApiServerConfig config, Clock clock) {
        return new AuditWiring(RoutingContext::next, rc -> { }, (rc, t) -> { });
    }
}
