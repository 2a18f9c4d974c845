package io.kubetwin.apiserver.server;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The HTTPS listeners of one fake apiserver: one {@link HttpServer} per event loop, all on one port, as Vert.x's
 * model asks (a server verticle deployed once per core). Vert.x shares the port among the servers of one instance
 * and hands each new connection to the next of them, so connections, and their requests, are spread over every
 * core instead of all landing on the one event loop a lone server runs on.
 *
 * <p>Every server takes the same request handlers, which must therefore be safe to call from several event loops.
 */
final class Listeners {
    private final Vertx vertx;
    private final List<String> deployments;
    private final int port;
    private final int count;

    private Listeners(Vertx vertx, List<String> deployments, int port, int count) {
        this.vertx = vertx;
        this.deployments = List.copyOf(deployments);
        this.port = port;
        this.count = count;
    }

    /** The number of event loops used when none is configured: one per core, as Vert.x sizes its pool. */
    static int defaultCount() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Starts {@code count} servers with {@code options} and the handlers, on one port (a free one when the port is
     * 0); fails with the first bind failure, once the servers already started are closed (a failed deployment is
     * undone by Vert.x).
     */
    static Future<Listeners> open(
            Vertx vertx,
            HttpServerOptions options,
            Handler<HttpServerRequest> requests,
            Handler<HttpServerRequest> invalidRequests,
            int count) {
        if (options.getPort() != 0) {
            return deployAll(vertx, options, requests, invalidRequests, count);
        }
        // Vert.x shares a port among servers that ask for the same port, but never port 0 (each server would get a
        // free port of its own): take a free port, then bind every server to it. Another process may take it in
        // between (tests start many servers at once): then try again with another.
        return onFreePort(vertx, options, requests, invalidRequests, count, FREE_PORT_ATTEMPTS);
    }

    private static final int FREE_PORT_ATTEMPTS = 5;

    private static Future<Listeners> onFreePort(
            Vertx vertx,
            HttpServerOptions options,
            Handler<HttpServerRequest> requests,
            Handler<HttpServerRequest> invalidRequests,
            int count,
            int attemptsLeft) {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(options.getHost()))) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            return Future.failedFuture(e);
        }
        return deployAll(vertx, new HttpServerOptions(options).setPort(port), requests, invalidRequests, count)
                .recover(e -> e instanceof BindException && attemptsLeft > 1
                        ? onFreePort(vertx, options, requests, invalidRequests, count, attemptsLeft - 1)
                        : Future.failedFuture(e));
    }

    private static Future<Listeners> deployAll(
            Vertx vertx,
            HttpServerOptions options,
            Handler<HttpServerRequest> requests,
            Handler<HttpServerRequest> invalidRequests,
            int count) {
        List<HttpServer> started = new CopyOnWriteArrayList<>();
        return deploy(vertx, options, requests, invalidRequests, count, started)
                .map(id -> new Listeners(vertx, List.of(id), started.get(0).actualPort(), count));
    }

    private static Future<String> deploy(
            Vertx vertx,
            HttpServerOptions options,
            Handler<HttpServerRequest> requests,
            Handler<HttpServerRequest> invalidRequests,
            int instances,
            List<HttpServer> started) {
        return vertx.deployVerticle(
                () -> new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        // created in the verticle's context: this server's connections stay on its event loop
                        return vertx.createHttpServer(options)
                                .requestHandler(requests)
                                .invalidRequestHandler(invalidRequests)
                                .listen()
                                .onSuccess(started::add);
                    }
                },
                new DeploymentOptions().setInstances(instances));
    }

    /** The port every server listens on (the one picked when the configured port was 0). */
    int port() {
        return port;
    }

    /** How many servers (event loops) accept connections. */
    int count() {
        return count;
    }

    /** Stops every server (undeploying a server verticle closes its server); idempotent. */
    Future<Void> close() {
        return Future.all(deployments.stream()
                        .map(id -> vertx.undeploy(id).recover(e -> Future.succeededFuture()))
                        .toList())
                .mapEmpty();
    }
}
