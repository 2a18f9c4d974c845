package io.kubetwin.apiserver.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.ResponseWriter;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * Serves the non-resource endpoints kubectl reads before anything else: /api, /apis and their group
 * and version documents (legacy and aggregated discovery, content-negotiated on Accept as
 * k8s.io/apiserver/pkg/endpoints/discovery/aggregated does), /version, and the health endpoints.
 * These requests have already been authenticated and authorized (RBAC's system:discovery and
 * system:public-info-viewer roles grant them).
 */
public final class DiscoveryHandler {
    static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private final Supplier<DiscoveryDocuments> documents;
    private final ResponseWriter writer;
    private final JsonNode version;
    private final Supplier<String> serverAddress;

    public DiscoveryHandler(
            Supplier<DiscoveryDocuments> documents,
            ResponseWriter writer,
            JsonNode version,
            Supplier<String> serverAddress) {
        this.documents = documents;
        this.writer = writer;
        this.version = version;
        this.serverAddress = serverAddress;
    }

    /** Installs the routes; called once by the chain assembly, after authorization. */
    public void install(Router router) {
        router.get("/api").handler(rc -> discovery(rc, true));
        router.get("/api/").handler(rc -> discovery(rc, true));
        router.get("/apis").handler(rc -> discovery(rc, false));
        router.get("/apis/").handler(rc -> discovery(rc, false));
        router.get("/api/:version").handler(rc -> resourceList(rc, rc.pathParam("version")));
        router.get("/apis/:group").handler(rc -> group(rc, rc.pathParam("group")));
        router.get("/apis/:group/:version")
                .handler(rc -> resourceList(rc, rc.pathParam("group") + "/" + rc.pathParam("version")));
        // /version is written raw (responsewriters.WriteRawJSON): never an audit responseObject
        router.get("/version").handler(this::version);
        router.get("/version/").handler(this::version);
        for (String health : new String[] {"/healthz", "/livez", "/readyz"}) {
            router.get(health).handler(this::healthy);
            router.get(health + "/ping").handler(this::healthy);
        }
    }

    private void discovery(RoutingContext rc, boolean core) {
        DiscoveryDocuments docs = documents.get();
        if (wantsAggregated(rc)) {
            rc.response().putHeader("Vary", "Accept");
            write(rc, AGGREGATED_V2, docs.aggregated(core));
            return;
        }
        write(rc, "application/json", core ? docs.apiVersions(serverAddress.get()) : docs.groupList());
    }

    private void group(RoutingContext rc, String group) {
        ObjectNode body = documents.get().group(group);
        if (body == null) {
            // no handler owns /apis/<group> for a group not served: Go's mux answers its plain-text 404
            rc.next();
            return;
        }
        write(rc, "application/json", body);
    }

    private void resourceList(RoutingContext rc, String groupVersion) {
        DiscoveryDocuments docs = documents.get();
        ObjectNode body = docs.resourceList(groupVersion);
        if (body == null) {
            int slash = groupVersion.indexOf('/');
            if (slash > 0 && docs.group(groupVersion.substring(0, slash)) == null) {
                // an unknown group's versions have no handler either (plain text); a served group's do (Status)
                rc.next();
                return;
            }
            rc.fail(Statuses.pathNotFound());
            return;
        }
        write(rc, "application/json", body);
    }

    private void healthy(RoutingContext rc) {
        rc.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff");
        RequestState.of(rc).end(rc, Buffer.buffer("ok"));
    }

    /** WriteRawJSON: indented whoever asks, no trailing newline, and never an audit responseObject. */
    private void version(RoutingContext rc) {
        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json");
        RequestState.of(rc).end(rc, Buffer.buffer(writer.indented(version)));
    }

    /**
     * Writes a 200 and ends through the request's before-end work (audit). Discovery documents go through
     * WriteObjectNegotiated upstream, which logs them as audit's responseObject.
     */
    private void write(RoutingContext rc, String contentType, JsonNode body) {
        RequestState state = RequestState.of(rc);
        state.responseObject(body);
        rc.response().setStatusCode(200).putHeader("Content-Type", contentType);
        state.end(rc, Buffer.buffer(writer.encode(rc.request(), body)));
    }

    private static boolean wantsAggregated(RoutingContext rc) {
        String accept = rc.request().getHeader("Accept");
        return accept != null
                && accept.replace(" ", "").contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    }
}
