package io.kubetwin.kubelet.server;

import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.endpoints.DebugEndpoints;
import io.kubetwin.kubelet.endpoints.NodeEndpoints;
import io.kubetwin.kubelet.streaming.StreamingEndpoints;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The one place where the kubelet's mux is assembled, in pkg/kubelet/server/server.go NewServer's order:
 * InstallAuthNotRequiredHandlers (health, pods, stats, metrics) on both servers, then with debugging
 * handlers the system-log handler, pprof, debug flags and InstallAuthRequiredHandlers, or else
 * InstallDebuggingDisabledHandlers. The authenticated server wraps every pattern in the auth filter; the
 * read-only server (NewServer with no auth and no configuration) wraps nothing and has no debugging handlers.
 * {@code /spec/} is deliberately absent: the cAdvisor-based /spec endpoint was removed in v1.21 (KEP-2129),
 * so v1.34 answers it with the mux's 404. {@code /statusz} and {@code /flagz} (alpha gates, off in 1.34)
 * and {@code /checkpoint/} beyond authorization are not served.
 */
final class KubeletRoutes {
    private static final List<String> DEBUG_PATHS = List.of(
            "/run/",
            "/exec/",
            "/attach/",
            "/portForward/",
            "/containerLogs/",
            "/runningpods/",
            "/debug/pprof/",
            "/logs/");

    private KubeletRoutes() {}

    static Mux secure(
            KubeletConfig config,
            NodeEndpoints node,
            DebugEndpoints debug,
            StreamingEndpoints streaming,
            AuthFilter filter) {
        return build(config, node, debug, streaming, filter::wrap, config.enableDebuggingHandlers());
    }

    static Mux readOnly(KubeletConfig config, NodeEndpoints node, DebugEndpoints debug, StreamingEndpoints streaming) {
        return build(config, node, debug, streaming, UnaryOperator.identity(), false);
    }

    private static Mux build(
            KubeletConfig config,
            NodeEndpoints node,
            DebugEndpoints debug,
            StreamingEndpoints streaming,
            UnaryOperator<Endpoint> filter,
            boolean debugging) {
        Mux mux = new Mux();
        // InstallAuthNotRequiredHandlers
        mux.handle("/healthz", filter.apply(node.healthz()));
        for (String check : List.of("ping", "log", "syncloop")) {
            mux.handle("/healthz/" + check, filter.apply(node.healthCheck()));
        }
        mux.handle("/metrics/slis", filter.apply(node.metrics()));
        mux.webService("/pods", filter.apply(node.pods()));
        mux.webService("/stats/", filter.apply(node.stats()));
        for (String metrics : List.of("/metrics", "/metrics/cadvisor", "/metrics/resource", "/metrics/probes")) {
            mux.handle(metrics, filter.apply(node.metrics()));
        }
        if (!debugging) {
            Endpoint disabled = filter.apply(NodeEndpoints.disabled("Debug endpoints are disabled."));
            DEBUG_PATHS.forEach(p -> mux.handle(p, disabled));
            return mux;
        }
        // InstallSystemLogHandler, InstallProfilingHandler, InstallDebugFlagsHandler
        mux.webService(
                "/logs/",
                filter.apply(
                        config.enableSystemLogHandler()
                                ? debug.logs()
                                : NodeEndpoints.disabled("logs endpoint is disabled.")));
        mux.webService("/debug/pprof/", filter.apply(NodeEndpoints.notImplemented("profiling")));
        mux.handle("/debug/flags/v", filter.apply(NodeEndpoints.notImplemented("/debug/flags/v")));
        // InstallAuthRequiredHandlers
        mux.webService("/run", filter.apply(streaming.run()));
        mux.webService("/exec", filter.apply(streaming.exec()));
        mux.webService("/attach", filter.apply(streaming.attach()));
        mux.webService("/portForward", filter.apply(streaming.portForward()));
        mux.webService("/containerLogs", filter.apply(debug.containerLogs()));
        mux.handle("/configz", filter.apply(debug.configz()));
        mux.webService("/runningpods/", filter.apply(node.runningPods()));
        // ContainerCheckpoint is beta and on by default since v1.30
        mux.webService("/checkpoint/", filter.apply(NodeEndpoints.notImplemented("/checkpoint")));
        return mux;
    }
}
