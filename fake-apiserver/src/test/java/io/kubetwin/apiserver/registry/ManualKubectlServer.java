package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: a manual aid that serves the registry with a minimal discovery stub on plain HTTP so that
 * kubectl can be pointed at it ({@code kubectl --server http://127.0.0.1:PORT ...}). The real discovery
 * belongs to the server module; this stub only renders the catalog. Stops by itself after the given seconds.
 */
public final class ManualKubectlServer {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        RegistryFixture f = new RegistryFixture();
        Router discovery = Router.router(f.vertx);
        JsonNodeFactory j = JsonNodeFactory.instance;
        discovery.get("/version").handler(rc -> rc.json(Map.of("major", "1", "minor", "34", "gitVersion", "v1.34.4")));
        discovery.get("/api").handler(rc -> {
            ObjectNode o = j.objectNode().put("kind", "APIVersions");
            o.putArray("versions").add("v1");
            o.putArray("serverAddressByClientCIDRs")
                    .addObject()
                    .put("clientCIDR", "0.0.0.0/0")
                    .put("serverAddress", "127.0.0.1");
            rc.response().putHeader("Content-Type", "application/json").end(o.toString());
        });
        discovery.get("/apis").handler(rc -> {
            ObjectNode o = j.objectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
            ArrayNode groups = o.putArray("groups");
            Map<String, String> seen = new LinkedHashMap<>();
            f.catalog.all().forEach(r -> {
                if (!r.type().group().isEmpty()) {
                    seen.putIfAbsent(r.type().group(), r.type().version());
                }
            });
            seen.forEach((g, v) -> {
                ObjectNode grp = groups.addObject().put("name", g);
                grp.putArray("versions")
                        .addObject()
                        .put("groupVersion", g + "/" + v)
                        .put("version", v);
                grp.putObject("preferredVersion")
                        .put("groupVersion", g + "/" + v)
                        .put("version", v);
            });
            rc.response().putHeader("Content-Type", "application/json").end(o.toString());
        });
        discovery.getWithRegex("/apis?(/[^/]+)?/v1").handler(rc -> {
            String path = rc.request().path();
            String group = path.startsWith("/apis/") ? path.substring(6, path.lastIndexOf('/')) : "";
            ObjectNode o = j.objectNode()
                    .put("kind", "APIResourceList")
                    .put("apiVersion", "v1")
                    .put("groupVersion", group.isEmpty() ? "v1" : group + "/v1");
            ArrayNode resources = o.putArray("resources");
            for (ServedResource s : f.catalog.resources(group, "v1")) {
                try {
                    resources.add(RegistryFixture.JSON.readTree(ResourceCatalogTest.render(s, null)));
                    for (SubresourceType sub : s.subresources()) {
                        resources.add(RegistryFixture.JSON.readTree(ResourceCatalogTest.render(s, sub)));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            rc.response().putHeader("Content-Type", "application/json").end(o.toString());
        });
        discovery.route().handler(rc -> {
            String path = rc.request().path();
            if (path.startsWith("/openapi")) {
                rc.response().setStatusCode(404).end();
                return;
            }
            rc.response()
                    .setStatusCode(307)
                    .putHeader(
                            "Location",
                            "http://127.0.0.1:" + f.server.actualPort()
                                    + rc.request().uri())
                    .end();
        });
        HttpServer front = f.vertx
                .createHttpServer()
                .requestHandler(req -> {
                    String p = req.path();
                    boolean disc = p.equals("/version")
                            || p.equals("/api")
                            || p.equals("/apis")
                            || p.equals("/api/v1")
                            || p.matches("/apis/[^/]+/v1")
                            || p.startsWith("/openapi");
                    if (disc) {
                        discovery.handle(req);
                    } else {
                        // proxy to the registry server
                        // read the body before anything asynchronous happens, or its chunks are lost
                        req.body()
                                .onSuccess(body -> f.client
                                        .request(req.method(), f.server.actualPort(), "127.0.0.1", req.uri())
                                        .onSuccess(out -> {
                                            req.headers().forEach(h -> out.putHeader(h.getKey(), h.getValue()));
                                            out.send(body).onSuccess(resp -> {
                                                req.response().setStatusCode(resp.statusCode());
                                                resp.headers()
                                                        .forEach(h ->
                                                                req.response().putHeader(h.getKey(), h.getValue()));
                                                resp.handler(b -> req.response().write(b));
                                                resp.endHandler(
                                                        v -> req.response().end());
                                            });
                                        }));
                    }
                })
                .listen(port, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        System.out.println("listening on " + front.actualPort());
        Thread.sleep(seconds * 1000);
        f.close();
        System.exit(0);
    }
}
