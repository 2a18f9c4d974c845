package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.admission.NamespaceLifecycle;
import io.kubetwin.apiserver.admission.PluginChain;
import io.kubetwin.apiserver.api.QueryParameters;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.request.RequestInfoResolver;
import io.kubetwin.apiserver.request.RequestState;
import io.kubetwin.apiserver.storage.InMemoryStorage;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A plain-HTTP server on 127.0.0.1 with only what the RestHandler needs in front of it: a RequestState
 * with the resolved RequestInfo, an admin user and the body, and a minimal Status writer standing in
 * for the lead's. Bootstraps the default, kube-system, kube-public and kube-node-lease namespaces.
 */
final class RegistryFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Vertx vertx = Vertx.vertx();
    final InMemoryStorage storage;
    final ResourceCatalog catalog = ResourceCatalog.withBuiltIns();
    final GenericRegistry registry;
    final VirtualResources virtuals = new VirtualResources();
    final HttpServer server;
    final HttpClient client;
    UserInfo user = UserInfo.of("admin", "system:masters");

    RegistryFixture() throws Exception {
        this(new InMemoryStorage());
    }

    RegistryFixture(InMemoryStorage storage) throws Exception {
        this.storage = storage;
        registry = new GenericRegistry(
                storage,
                catalog,
                Strategies.builtIns(Clock.systemUTC()),
                PluginChain.of(NamespaceLifecycle.overStorage(storage)),
                Clock.systemUTC());
        RestHandler rest = new RestHandler(registry, virtuals);
        RequestInfoResolver resolver = new RequestInfoResolver();
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(3 * 1024 * 1024));
        router.route().handler(rc -> {
            QueryParameters query = QueryParameters.parse(rc.request().query());
            Map<String, String> first = new HashMap<>();
            query.values().forEach((name, values) -> first.put(name, values.get(0)));
            RequestState state = RequestState.attach(rc, UUID.randomUUID().toString(), Instant.now());
            state.query(query);
            state.requestInfo(
                    resolver.resolve(rc.request().method().name(), rc.request().path(), first));
            state.user(user);
            Buffer body = rc.body() == null || rc.body().buffer() == null
                    ? Buffer.buffer()
                    : rc.body().buffer();
            state.body(body, false);
            rc.next();
        });
        router.route().handler(rest);
        router.route().failureHandler(rc -> {
            Throwable f = rc.failure();
            Status status = f instanceof StatusException se
                    ? se.status()
                    : Status.failure(500, "InternalError", String.valueOf(f), null);
            try {
                rc.response()
                        .setStatusCode(status.code())
                        .putHeader("Content-Type", "application/json")
                        .end(JSON.writeValueAsString(status) + "\n");
            } catch (Exception e) {
                rc.response().setStatusCode(500).end();
            }
        });
        server = vertx.createHttpServer()
                .requestHandler(router)
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        client = vertx.createHttpClient();
        registry.bootstrapNamespaces().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** An HTTP answer. */
    record Reply(int code, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String message() {
            return json().path("message").asText();
        }
    }

    Reply call(String method, String path, String body) throws Exception {
        return call(method, path, body, body == null ? null : "application/json", null);
    }

    Reply call(String method, String path, String body, String contentType, String accept) throws Exception {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(method))
                .setHost("127.0.0.1")
                .setPort(server.actualPort())
                .setURI(path);
        if (contentType != null) {
            options.putHeader("Content-Type", contentType);
        }
        if (accept != null) {
            options.putHeader("Accept", accept);
        }
        // read the body in the same callback that receives the response, so no chunk arrives before its handler
        return client.request(options)
                .compose(req -> (body == null ? req.send() : req.send(body))
                        .compose(resp -> resp.body()
                                .map(b -> new Reply(resp.statusCode(), resp.getHeader("Content-Type"), b.toString()))))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** Opens a watch and answers the response paused: set handlers, then resume(). */
    HttpClientResponse openStream(String path) throws Exception {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost("127.0.0.1")
                .setPort(server.actualPort())
                .setURI(path);
        // paused in the callback that receives it, so no chunk is lost before the caller's handler is set
        return client.request(options)
                .compose(req -> req.send().map(resp -> resp.pause()))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    static Reply expect(Reply reply, int code) {
        if (reply.code() != code) {
            throw new AssertionError("expected " + code + " but got " + reply.code() + ": " + reply.body());
        }
        return reply;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
