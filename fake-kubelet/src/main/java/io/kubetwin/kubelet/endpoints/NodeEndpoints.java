package io.kubetwin.kubelet.endpoints;

import io.kubetwin.kubelet.pods.Pod;
import io.kubetwin.kubelet.pods.PodListJson;
import io.kubetwin.kubelet.pods.PodSource;
import io.kubetwin.kubelet.server.Endpoint;
import io.kubetwin.kubelet.server.Responses;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The handlers of pkg/kubelet/server/server.go with deterministic content from a {@link PodSource}:
 * health, pods, running pods, the stats summary and the Prometheus endpoints. Routes inside a web service
 * follow go-restful: a path the service does not route is its 404, a method it does not route its 405.
 * Thread-safe.
 */
public final class NodeEndpoints {
    /** What prometheus/common's expfmt negotiates for a scrape without an Accept it knows (v0.62+). */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8; escaping=underscores";

    private final PodSource pods;
    private final String nodeName;
    private final Instant startTime;

    public NodeEndpoints(PodSource pods, String nodeName, Instant startTime) {
        this.pods = pods;
        this.nodeName = nodeName;
        this.startTime = startTime.truncatedTo(ChronoUnit.SECONDS);
    }

    /** healthz.InstallHandler's root check: "ok", text/plain with nosniff set explicitly. */
    public Endpoint healthz() {
        return (request, path) -> {
            request.response().putHeader("X-Content-Type-Options", "nosniff");
            Responses.write(request, 200, Responses.TEXT, "ok");
        };
    }

    /** One named check ({@code /healthz/ping}, {@code /healthz/log}, {@code /healthz/syncloop}): "ok". */
    public Endpoint healthCheck() {
        return (request, path) -> Responses.restfulText(request, 200, "ok");
    }

    /**
     * {@code GET /pods}: every pod bound to the node. go-restful's route {@code /pods/} (root plus an empty route
     * path) matches {@code /pods/} as well: the real kubelet answers the list there too.
     */
    public Endpoint pods() {
        return getRoutes(
                path -> path.equals("/pods") || path.equals("/pods/"),
                (request, path) -> Responses.json(request, PodListJson.encode(pods.pods(), nodeName)));
    }

    /** {@code GET /runningpods/}: the pods the runtime runs (a testing endpoint upstream). */
    public Endpoint runningPods() {
        return getOnly("/runningpods/", request -> Responses.json(request, PodListJson.encode(pods.runningPods())));
    }

    /** {@code /stats/summary} (GET or POST, as the stats web service routes it). */
    public Endpoint stats() {
        return (request, path) -> {
            if (!path.equals("/stats/summary")) {
                Responses.restfulNotFound(request);
            } else if (!request.method().name().equals("GET")
                    && !request.method().name().equals("POST")) {
                Responses.restfulMethodNotAllowed(request);
            } else {
                Responses.json(request, summary());
            }
        };
    }

    /** A Prometheus text page with the build info gauge; the same for every metrics path. */
    public Endpoint metrics() {
        return (request, path) -> Responses.write(
                request,
                200,
                PROMETHEUS_TEXT,
                "# HELP kubernetes_build_info [ALPHA] A metric with a constant '1' value labeled by major, minor, git version, "
                        + "git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, "
                        + "and platform on which it is running.\n"
                        + "# TYPE kubernetes_build_info gauge\n"
                        + "kubernetes_build_info{build_date=\"\",compiler=\"gc\",git_commit=\"\",git_tree_state=\"clean\","
                        + "git_version=\"v1.34.4\",go_version=\"\",major=\"1\",minor=\"34\",platform=\"linux/amd64\"} 1\n");
    }

    /** Handlers the fake does not implement yet: authorization is still enforced in front of them. */
    public static Endpoint notImplemented(String what) {
        return (request, path) -> Responses.goError(request, 501, what + " is not implemented by the fake kubelet");
    }

    /** InstallDebuggingDisabledHandlers: 405 {@code Debug endpoints are disabled.} from http.Error. */
    public static Endpoint disabled(String message) {
        return (request, path) -> Responses.goError(request, 405, message);
    }

    private String summary() {
        StringBuilder b = new StringBuilder("{\"node\":{\"nodeName\":\"")
                .append(nodeName)
                .append("\",\"systemContainers\":[],\"startTime\":\"")
                .append(startTime)
                .append("\"},\"pods\":[");
        boolean first = true;
        for (Pod p : pods.runningPods()) {
            b.append(first ? "" : ",")
                    .append("{\"podRef\":{\"name\":\"")
                    .append(p.name())
                    .append("\",\"namespace\":\"")
                    .append(p.namespace())
                    .append("\",\"uid\":\"")
                    .append(p.uid())
                    .append("\"},\"startTime\":\"")
                    .append(startTime)
                    .append("\",\"containers\":[]}");
            first = false;
        }
        return b.append("]}").toString();
    }

    /** A go-restful web service with a single GET route at {@code routePath}. */
    static Endpoint getOnly(String routePath, Consumer<HttpServerRequest> get) {
        return getRoutes(routePath::equals, (request, path) -> get.accept(request));
    }

    /** A go-restful web service whose GET routes cover everything below {@code root}. */
    static Endpoint getOnlyPrefix(String root, Endpoint get) {
        return getRoutes(path -> path.startsWith(root), get);
    }

    /** go-restful routing: an unrouted path is its 404, a routed path with another method its 405. */
    private static Endpoint getRoutes(Predicate<String> routed, Endpoint get) {
        return (request, path) -> {
            if (!routed.test(path)) {
                Responses.restfulNotFound(request);
            } else if (!request.method().name().equals("GET")) {
                Responses.restfulMethodNotAllowed(request);
            } else {
                get.handle(request, path);
            }
        };
    }
}
