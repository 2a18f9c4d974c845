package io.kubetwin.kubelet.endpoints;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.pods.Pod;
import io.kubetwin.kubelet.pods.PodSource;
import io.kubetwin.kubelet.server.Endpoint;
import io.kubetwin.kubelet.server.Responses;
import io.kubetwin.pki.GoDuration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The handlers the kubelet installs only with {@code enableDebuggingHandlers} (InstallAuthRequiredHandlers,
 * InstallSystemLogHandler): {@code /configz}, {@code /logs/} and {@code /containerLogs/NS/POD/CONTAINER},
 * with deterministic content. Thread-safe.
 */
public final class DebugEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fake node's log directory (upstream: /var/log served with http.FileServer). */
    private static final Map<String, String> NODE_LOGS = Map.of("kubelet.log", "fake kubelet started\n");

    private final PodSource pods;
    private final KubeletConfig config;

    public DebugEndpoints(PodSource pods, KubeletConfig config) {
        this.pods = pods;
        this.config = config;
    }

    /**
     * {@code /configz} (k8s.io/component-base/configz): {@code {"kubeletconfig":{...}}} with the v1beta1 field
     * names of the settings the fake has; JSON from json.Marshal, so no trailing newline.
     */
    public Endpoint configz() {
        return (request, path) -> {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode kc = root.putObject("kubeletconfig");
            kc.put("enableServer", true);
            kc.put("address", config.address());
            kc.put("port", config.port());
            kc.put("readOnlyPort", config.readOnlyPort());
            kc.put(
                    "tlsCertFile",
                    config.tlsCertFile() == null ? "" : config.tlsCertFile().toString());
            kc.put(
                    "tlsPrivateKeyFile",
                    config.tlsPrivateKeyFile() == null
                            ? ""
                            : config.tlsPrivateKeyFile().toString());
            ObjectNode authn = kc.putObject("authentication");
            authn.putObject("x509")
                    .put(
                            "clientCAFile",
                            config.clientCaFile() == null
                                    ? ""
                                    : config.clientCaFile().toString());
            authn.putObject("webhook")
                    .put("enabled", config.webhookAuthnEnabled())
                    .put("cacheTTL", GoDuration.format(config.webhookAuthnCacheTtl()));
            authn.putObject("anonymous").put("enabled", config.anonymousEnabled());
            ObjectNode authz = kc.putObject("authorization");
            authz.put("mode", config.authorizationMode().wireName());
            authz.putObject("webhook")
                    .put("cacheAuthorizedTTL", GoDuration.format(config.webhookAuthorizedTtl()))
                    .put("cacheUnauthorizedTTL", GoDuration.format(config.webhookUnauthorizedTtl()));
            kc.put("enableDebuggingHandlers", config.enableDebuggingHandlers());
            kc.put("enableSystemLogHandler", config.enableSystemLogHandler());
            ObjectNode gates = kc.putObject("featureGates");
            config.featureGates().forEach(gates::put);
            Responses.json(request, root.toString());
        };
    }

    /** {@code /logs/}: a directory listing as http.FileServer writes it, and the files of the fake node. */
    public Endpoint logs() {
        return NodeEndpoints.getOnlyPrefix("/logs/", (request, path) -> {
            String name = path.substring("/logs/".length());
            if (name.isEmpty()) {
                StringBuilder listing = new StringBuilder(
                        "<!doctype html>\n<meta name=\"viewport\" content=\"width=device-width\">\n<pre>\n");
                NODE_LOGS.keySet().stream()
                        .sorted()
                        .forEach(f -> listing.append("<a href=\"")
                                .append(f)
                                .append("\">")
                                .append(f)
                                .append("</a>\n"));
                Responses.write(
                        request,
                        200,
                        "text/html; charset=utf-8",
                        listing.append("</pre>\n").toString());
            } else if (NODE_LOGS.containsKey(name)) {
                Responses.write(request, 200, Responses.TEXT, NODE_LOGS.get(name));
            } else {
                Responses.goNotFound(request);
            }
        });
    }

    /**
     * {@code GET /containerLogs/{podNamespace}/{podID}/{containerName}}: the container's lines; an unknown pod is
     * a 404 {@code pod "NAME" does not exist}, an unknown container a 404
     * {@code container "C" not found in pod "NAME"} (go-restful WriteError: plain text, no newline). Honours
     * {@code tailLines} and {@code limitBytes} (in that order, as the kubelet's log reader) and {@code follow} (the
     * response stays open after the lines, as for a running container, unless limitBytes ends it); other options are
     * accepted and ignored (the fake's lines carry no timestamps and have no previous instance).
     */
    public Endpoint containerLogs() {
        return NodeEndpoints.getOnlyPrefix("/containerLogs/", (request, path) -> {
            String[] parts = path.substring("/containerLogs/".length()).split("/", -1);
            if (parts.length != 3) {
                Responses.restfulNotFound(request);
                return;
            }
            Optional<Pod> pod = pods.pod(parts[0], parts[1]);
            if (pod.isEmpty()) {
                Responses.restfulText(request, 404, "pod \"" + parts[1] + "\" does not exist");
                return;
            }
            Optional<Pod.Container> container = pod.get().container(parts[2]);
            if (container.isEmpty()) {
                Responses.restfulText(
                        request, 404, "container \"" + parts[2] + "\" not found in pod \"" + parts[1] + "\"");
                return;
            }
            List<String> lines = container.get().logLines();
            String tail = request.getParam("tailLines");
            if (tail != null && tail.matches("\\d{1,9}")) {
                lines = lines.subList(Math.max(0, lines.size() - Integer.parseInt(tail)), lines.size());
            }
            StringBuilder body = new StringBuilder();
            lines.forEach(line -> body.append(line).append('\n'));
            String limit = request.getParam("limitBytes");
            if (limit != null && limit.matches("\\d{1,9}") && Integer.parseInt(limit) < body.length()) {
                body.setLength(Integer.parseInt(limit));
            }
            if ("true".equals(request.getParam("follow")) && limit == null) {
                // a running container's log does not end: the lines so far, then the stream stays open until the
                // client goes away, as the kubelet's follow does
                request.response()
                        .setChunked(true)
                        .setStatusCode(200)
                        .putHeader("Content-Type", Responses.TEXT)
                        .write(body.toString());
                return;
            }
            Responses.restfulText(request, 200, body.toString());
        });
    }
}
