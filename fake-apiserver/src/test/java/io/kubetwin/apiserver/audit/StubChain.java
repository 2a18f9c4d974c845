package io.kubetwin.apiserver.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.attributes.UserInfo;
import io.kubetwin.apiserver.request.RequestInfoResolver;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stand-in for the lead's handler chain, in kube-apiserver's order, around the real audit stage:
 * Audit-ID → RequestInfo → authentication (failed: FailedAuthenticationAuditor + 401) → AuditHandler →
 * impersonation → authorization → handler, with a failure handler calling auditPanic. Served over TLS on
 * 127.0.0.1. What authentication, authorization and the handler decide is the test's {@link Behaviour}.
 */
final class StubChain implements AutoCloseable {
    /** The decisions of the stages that are not audit's. */
    interface Behaviour {
        /** The authenticated user, or null when authentication fails. */
        UserInfo authenticate(RoutingContext rc);

        /** Adds authorization annotations; returns the Status to deny with, or null to allow. */
        Status authorize(RoutingContext rc, RequestState state);

        /** Writes the response through {@link StubChain#writeStatus}/{@link StubChain#writeObject} or by hand. */
        void handle(RoutingContext rc, RequestState state);

        /** Whether the 401 is a Status body (kube-apiserver's) or a bare code. */
        default boolean unauthorizedAsStatus() {
            return true;
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final TestTls tls;
    private final HttpClient client;

    private StubChain(Vertx vertx, HttpServer server, TestTls tls) {
        this.vertx = vertx;
        this.server = server;
        this.tls = tls;
        this.client = HttpClient.newBuilder().sslContext(tls.clientContext()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static StubChain start(Vertx vertx, AuditSetup audit, Behaviour behaviour) {
        TestTls tls = TestTls.generate();
        Router router = Router.router(vertx);
        RequestInfoResolver resolver = new RequestInfoResolver();
        router.route().handler(BodyHandler.create());
        router.route().handler(rc -> {
            String id = AuditInit.auditId(rc.request());
            RequestState.attach(rc, id, Instant.now());
            AuditInit.echo(rc.response(), id);
            rc.next();
        });
        router.route().handler(rc -> {
            Map<String, String> query = new HashMap<>();
            rc.queryParams().forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));
            RequestState.of(rc).requestInfo(resolver.resolve(rc.request().method().name(), rc.request().path(), query));
            rc.next();
        });
        router.route().handler(rc -> {
            UserInfo user = behaviour.authenticate(rc);
            if (user == null) {
                audit.failedAuthenticationAuditor().auditFailedAuthentication(rc);
                if (behaviour.unauthorizedAsStatus()) {
                    writeStatus(rc, io.kubetwin.apiserver.api.Statuses.unauthorized().status());
                } else {
                    rc.response().setStatusCode(401);
                    RequestState.of(rc).end(rc, Buffer.buffer());
                }
                return;
            }
            RequestState.of(rc).user(user);
            rc.next();
        });
        router.route().handler(audit.auditHandler());
        router.route().handler(rc -> {
            String as = rc.request().getHeader("Impersonate-User");
            if (as != null) {
                List<String> groups = new ArrayList<>(rc.request().headers().getAll("Impersonate-Group"));
                groups.add(UserInfo.ALL_AUTHENTICATED);
                Map<String, List<String>> extra = new LinkedHashMap<>();
                rc.request().headers().forEach(h -> {
                    if (h.getKey().toLowerCase(Locale.ROOT).startsWith("impersonate-extra-")) {
                        extra.computeIfAbsent(h.getKey().substring(18).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                                .add(h.getValue());
                    }
                });
                RequestState.of(rc).impersonatedUser(new UserInfo(as, "", groups, extra));
            }
            rc.next();
        });
        router.route().handler(rc -> {
            Status denied = behaviour.authorize(rc, RequestState.of(rc));
            if (denied != null) {
                writeStatus(rc, denied);
                return;
            }
            rc.next();
        });
        router.route().handler(rc -> behaviour.handle(rc, RequestState.of(rc)));
        router.route().failureHandler(rc -> audit.auditHandler().auditPanic(rc, rc.failure()).onComplete(x ->
                rc.response().setStatusCode(500).end("Internal Server Error\n")));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(tls.certPem()))
                        .setKeyValue(Buffer.buffer(tls.keyPem()))));
        server.requestHandler(router);
        server.listen().toCompletionStage().toCompletableFuture().join();
        return new StubChain(vertx, server, tls);
    }

    /** The status writer: the Status goes to audit first, then out as kube-apiserver writes it. */
    static void writeStatus(RoutingContext rc, Status status) {
        RequestState state = RequestState.of(rc);
        state.responseStatus(status);
        rc.response().setStatusCode(status.code()).putHeader("Content-Type", "application/json");
        state.end(rc, Buffer.buffer(json(status) + "\n"));
    }

    static void writeObject(RoutingContext rc, int code, JsonNode object) {
        RequestState state = RequestState.of(rc);
        state.responseObject(object);
        rc.response().setStatusCode(code).putHeader("Content-Type", "application/json");
        state.end(rc, Buffer.buffer(json(object) + "\n"));
    }

    private static String json(Object o) {
        try {
            return GoJson.mapper().writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return server.actualPort();
    }

    /** A request builder for {@code path} (with query) on this server. */
    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port() + pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
    }

    Vertx vertx() {
        return vertx;
    }
}
