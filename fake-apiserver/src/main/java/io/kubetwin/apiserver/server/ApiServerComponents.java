package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.api.ResponseWriter;
import io.kubetwin.apiserver.authn.AuthenticatorChain;
import io.kubetwin.apiserver.discovery.DiscoveryHandler;
import io.kubetwin.apiserver.discovery.IssuerMetadataHandler;
import io.kubetwin.apiserver.discovery.OpenApiHandler;
import io.kubetwin.auth.authz.Authorizer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The collaborators of the handler chain, built by {@link ApiServerAssembly} from the configuration.
 * Every stage is present: a stage that is configured off is an explicit pass-through, never null.
 */
record ApiServerComponents(
        AuthenticatorChain authenticator,
        Consumer<RoutingContext> failedAuthenticationAuditor,
        BiConsumer<RoutingContext, String> failedRequestAuditor,
        Handler<RoutingContext> auditHandler,
        BiFunction<RoutingContext, Throwable, Future<Void>> panicAuditor,
        Handler<RoutingContext> impersonationHandler,
        Handler<RoutingContext> inFlightLimit,
        Authorizer authorizer,
        DiscoveryHandler discovery,
        IssuerMetadataHandler issuerMetadata,
        OpenApiHandler openApi,
        Handler<RoutingContext> resourceHandler,
        ResponseWriter responseWriter) {}
