package io.kubetwin.apiserver.server;

import io.vertx.ext.web.Route;

/**
 * What tests outside this package may reach inside a running server, through the test fixture only
 * ({@code testing.TestApiServer}): kept in test sources so that the embedding API stays as it is.
 */
public final class ServerHooks {
    private ServerHooks() {}

    /** {@link HandlerChain#handlerRoute} on {@code server}'s chain: a handler behind every pipeline stage. */
    public static Route handlerRoute(FakeApiServer server, String path) {
        return HandlerChain.handlerRoute(server.router(), path);
    }

    /** How many audit events {@code server}'s backends could not store. */
    public static long missedAuditEvents(FakeApiServer server) {
        return server.auditSetup().missedEvents();
    }
}
