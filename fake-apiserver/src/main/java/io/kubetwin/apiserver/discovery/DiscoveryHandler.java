package io.kubetwin.apiserver.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.GoYaml;
import io.kubetwin.apiserver.api.MediaNegotiation;
import io.kubetwin.apiserver.api.ResponseWriter;
import io.kubetwin.apiserver.api.RestfulRoutes;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.request.GoRequestPath;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Serves the non-resource endpoints kubectl reads before anything else: /api, /apis and their group
 * and version documents (legacy and aggregated discovery, content-negotiated on Accept as
 * k8s.io/apiserver/pkg/endpoints/discovery/aggregated does), /version, the health endpoints and /metrics.
 * These requests have already been authenticated and authorized (RBAC's system:discovery and
 * system:public-info-viewer roles grant them).
 */
public final class DiscoveryHandler {
    private static final String AGGREGATED_PARAMETERS = ";g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private final Supplier<DiscoveryDocuments> documents;
    private final ResponseWriter writer;
    private final JsonNode version;
    private final Supplier<String> serverAddress;
    private final HealthChecks health;

    /** @param health the checks of /healthz, /livez and /readyz (etcd's and KMS' may block) */
    public DiscoveryHandler(
            Supplier<DiscoveryDocuments> documents,
            ResponseWriter writer,
            JsonNode version,
            Supplier<String> serverAddress,
            HealthChecks health) {
        this.documents = documents;
        this.writer = writer;
        this.version = version;
        this.serverAddress = serverAddress;
        this.health = health;
    }

    /**
     * Installs the routes; called once by the chain assembly, after authorization. The paths kube-apiserver
     * serves through go-restful take only GET (405 otherwise) and check Accept against what they produce
     * (406); /apis, /apis/GROUP, custom resources' group versions and the health checks are plain handlers
     * that answer any method.
     */
    public void install(Router router) {
        for (String path : new String[] {"/api", "/api/"}) {
            router.route(path).handler(rc -> restful(rc, RestfulRoutes.OBJECT, () -> discovery(rc, true)));
        }
        // the aggregated handler wraps /apis only (aggregator's handler_apis.go); /apis/ is the legacy group list alone
        // (Vert.x hands both paths to either route, so the path decides)
        for (String path : new String[] {"/apis", "/apis/"}) {
            router.route(path).handler(rc -> {
                if (GoRequestPath.of(rc).path().endsWith("/")) {
                    write(rc, documents.get().groupList());
                } else {
                    discovery(rc, false);
                }
            });
        }
        router.route("/api/:version")
                .handler(rc -> restful(rc, RestfulRoutes.OBJECT, () -> resourceList(rc, rc.pathParam("version"))));
        router.route("/apis/:group").handler(rc -> group(rc, rc.pathParam("group")));
        router.route("/apis/:group/:version").handler(rc -> {
            String groupVersion = rc.pathParam("group") + "/" + rc.pathParam("version");
            if (documents.get().builtIn(groupVersion)) {
                restful(rc, RestfulRoutes.OBJECT, () -> resourceList(rc, groupVersion));
            } else {
                resourceList(rc, groupVersion);
            }
        });
        // /version is written raw (responsewriters.WriteRawJSON): never an audit responseObject
        for (String path : new String[] {"/version", "/version/"}) {
            router.route(path).handler(rc -> restful(rc, List.of("application/json"), () -> version(rc)));
        }
        router.route("/metrics").handler(this::metrics);
        for (String endpoint : new String[] {"healthz", "livez", "readyz"}) {
            router.route("/" + endpoint).handler(rc -> healthy(rc, endpoint, null));
            // InstallPathHandlerWithHealthyFunc: one path per check, e.g. /readyz/poststarthook/rbac/bootstrap-roles
            for (HealthChecks.Check check : health.checks(endpoint)) {
                router.route("/" + endpoint + "/" + check.name()).handler(rc -> healthy(rc, endpoint, check));
            }
        }
    }

    /**
     * Whether kube-apiserver's director hands this path to go-restful (pkg/server/handler.go): {@code /apis}
     * and {@code /apis/} exactly, or a path at or below the root of one of its web services (/api, /version,
     * the issuer documents, each built-in group version).
     */
    public boolean goRestfulRoot(String path) {
        if (path.equals("/apis") || path.equals("/apis/")) {
            return true;
        }
        for (String root : List.of("/api", "/version", "/.well-known/openid-configuration", "/openid/v1/jwks")) {
            if (under(path, root)) {
                return true;
            }
        }
        if (path.startsWith("/apis/")) {
            String[] parts = path.split("/", 5);
            return parts.length >= 4
                    && documents.get().builtIn(parts[2] + "/" + parts[3])
                    && under(path, "/apis/" + parts[2] + "/" + parts[3]);
        }
        return false;
    }

    private static boolean under(String path, String root) {
        return path.startsWith(root) && (path.length() == root.length() || path.charAt(root.length()) == '/');
    }

    /** A go-restful route of this path: GET only, then Accept against what it produces. */
    static void restful(RoutingContext rc, List<String> produces, Runnable serve) {
        if (rc.request().method() != HttpMethod.GET) {
            throw RestfulRoutes.methodNotAllowed();
        }
        RestfulRoutes.checkAccept(rc.request().getHeader("Accept"), produces);
        serve.run();
    }

    private void discovery(RoutingContext rc, boolean core) {
        DiscoveryDocuments docs = documents.get();
        Optional<MediaNegotiation.Outcome> aggregated = MediaNegotiation.negotiate(
                        rc.request().getHeader("Accept"), AGGREGATED_ONLY)
                .filter(outcome -> outcome.target() != null); // no Accept header: JSON, unconverted
        if (aggregated.isPresent()) {
            rc.response().putHeader("Vary", "Accept");
            write(rc, aggregated.get(), docs.aggregated(core));
            return;
        }
        write(rc, core ? docs.apiVersions(serverAddress.get()) : docs.groupList());
    }

    private void group(RoutingContext rc, String group) {
        ObjectNode body = documents.get().group(group);
        if (body == null) {
            // no handler owns /apis/<group> for a group not served: Go's mux answers its plain-text 404
            rc.next();
            return;
        }
        write(rc, body);
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
        write(rc, body);
    }

    /** A root health endpoint ({@code check} null) or one named check; checks that call etcd or a plugin run off the loop. */
    private void healthy(RoutingContext rc, String endpoint, HealthChecks.Check check) {
        if (GoRequestPath.of(rc).path().endsWith("/")) {
            rc.next(); // the health paths are exact in Go's mux (Vert.x would take a trailing slash)
            return;
        }
        List<String> excluded = rc.queryParam("exclude");
        boolean verbose = rc.request().params().contains("verbose");
        java.util.concurrent.Callable<HealthChecks.Answer> answer =
                () -> check == null ? health.root(endpoint, excluded, verbose) : HealthChecks.single(check);
        boolean blocking = check == null ? health.blocking(endpoint) : check.blocking();
        if (!blocking) {
            try {
                answerHealth(rc, answer.call());
            } catch (Exception e) {
                rc.fail(e);
            }
            return;
        }
        rc.vertx()
                .executeBlocking(answer, false)
                .onComplete(done -> answerHealth(
                        rc,
                        done.succeeded()
                                ? done.result()
                                : new HealthChecks.Answer(500, done.cause().toString())));
    }

    /** The answer as net/http writes it: text/plain, nosniff (http.Error sets it too). */
    private static void answerHealth(RoutingContext rc, HealthChecks.Answer answer) {
        rc.response()
                .setStatusCode(answer.code())
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff");
        RequestState.of(rc).end(rc, Buffer.buffer(answer.body()));
    }

    /**
     * /metrics as routes.MetricsWithReset installs it on the non-go-restful mux (profiling is on by default): any method
     * but DELETE gets the Prometheus text exposition (HEAD without its body, as net/http drops it), DELETE resets the
     * registry. The fake keeps no request metrics: its registry holds kube-apiserver's build information only
     * (component-base/metrics/prometheus/version), see known-divergences.
     */
    private void metrics(RoutingContext rc) {
        if (GoRequestPath.of(rc).path().endsWith("/")) {
            rc.next(); // exact in Go's mux
            return;
        }
        if (rc.request().method() == HttpMethod.DELETE) {
            rc.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8");
            RequestState.of(rc).end(rc, Buffer.buffer("metrics reset\n"));
            return;
        }
        rc.response().setStatusCode(200).putHeader("Content-Type", MetricsText.CONTENT_TYPE);
        RequestState.of(rc).end(rc, Buffer.buffer(MetricsText.buildInfo(version)));
    }

    /** WriteRawJSON: indented whoever asks, no trailing newline, and never an audit responseObject. */
    private void version(RoutingContext rc) {
        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json");
        RequestState.of(rc).end(rc, Buffer.buffer(writer.indented(version)));
    }

    /** A legacy discovery document: WriteObjectNegotiated with the default restrictions (any serializer, no conversion). */
    private void write(RoutingContext rc, JsonNode body) {
        write(
                rc,
                MediaNegotiation.negotiateOrFail(rc.request().getHeader("Accept"), MediaNegotiation.NO_CONVERSION),
                body);
    }

    /**
     * Writes a 200 in the negotiated serializer and ends through the request's before-end work (audit): YAML as
     * sigs.k8s.io/yaml converts the JSON, otherwise JSON (the fake has no protobuf form of discovery documents); an
     * aggregated document's Content-Type names its conversion after the media type. Discovery documents go through
     * WriteObjectNegotiated upstream, which logs them as audit's responseObject.
     */
    private void write(RoutingContext rc, MediaNegotiation.Outcome outcome, JsonNode body) {
        boolean yaml = outcome.mediaType().equals(MediaNegotiation.YAML);
        String mediaType = yaml ? MediaNegotiation.YAML : "application/json";
        String contentType = outcome.target() == null ? mediaType : mediaType + AGGREGATED_PARAMETERS;
        RequestState state = RequestState.of(rc);
        state.responseObject(body);
        int code = 200;
        String text;
        if (yaml) {
            GoYaml.Answer answer = GoYaml.answer(code, body);
            code = answer.code();
            text = answer.text();
        } else {
            text = writer.encode(rc.request(), body);
        }
        rc.response().setStatusCode(code).putHeader("Content-Type", contentType);
        state.end(rc, Buffer.buffer(text));
    }

    /**
     * The aggregated handler's negotiation (DiscoveryEndpointRestrictions: only a conversion to apidiscovery.k8s.io/v2
     * APIGroupDiscoveryList, v2beta1 being removed in this release); when it finds no clause, the unaggregated handler
     * answers.
     */
    private static final MediaNegotiation.Restrictions AGGREGATED_ONLY = (type, subType, target) -> target != null
            && target.group().equals("apidiscovery.k8s.io")
            && target.version().equals("v2")
            && target.kind().equals("APIGroupDiscoveryList");
}
