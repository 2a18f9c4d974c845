package io.kubetwin.apiserver.kubelet;

import io.kubetwin.apiserver.api.QueryParameters;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.kubetwin.apiserver.request.WebSocketUpgrade;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code pods/NAME/exec}, {@code attach} and {@code portforward} (pkg/registry/core/pod/rest/subresources.go
 * ExecREST, AttachREST, PortForwardREST), GET or POST: the connect options from the query, then strategy.go's
 * streamLocation (the pod, its container, {@code pod NAME does not have a host assigned}, the node's kubelet),
 * then the stream, which must be an upgrade ({@code Upgrade request required}). A WebSocket upgrade is relayed
 * to the kubelet's {@code /exec/NS/POD/CONTAINER?command=...&output=1...} ({@link StreamRelay}). RBAC on the
 * subresource (verb get for GET, create for POST) has run in the authorization stage.
 */
public final class PodStreamResource implements VirtualResource {
    /** The subresource and the kubelet path it leads to. */
    public enum Kind {
        EXEC("exec", "exec"),
        ATTACH("attach", "attach"),
        PORT_FORWARD("portforward", "portForward");

        private final String subresource;
        final String kubeletPath;

        Kind(String subresource, String kubeletPath) {
            this.subresource = subresource;
            this.kubeletPath = kubeletPath;
        }

        public String subresource() {
            return subresource;
        }
    }

    private final Kind kind;
    private final GenericRegistry registry;
    private final WebSocketClient webSockets;
    private final List<String> preferredAddressTypes;

    public PodStreamResource(
            Kind kind, GenericRegistry registry, WebSocketClient webSockets, List<String> preferredAddressTypes) {
        this.kind = kind;
        this.registry = registry;
        this.webSockets = webSockets;
        this.preferredAddressTypes = List.copyOf(preferredAddressTypes);
    }

    @Override
    public BodyKind bodyKind() {
        return null;
    }

    @Override
    public Future<Answer> handle(Call call) {
        throw new UnsupportedOperationException("pods/" + kind.kubeletPath + " needs the connection");
    }

    @Override
    public Future<Answer> handle(Call call, RoutingContext rc) {
        QueryParameters query = call.state().query();
        Map<String, List<String>> params = kubeletParams(query);
        ServedResource pods = registry.catalog().lookup("", "v1", "pods").orElseThrow();
        return registry.get(pods, call.namespace(), call.name()).compose(pod -> {
            String container = kind == Kind.PORT_FORWARD
                    ? null
                    : PodLocation.validateContainer(pod, query.first("container"), call.name());
            String nodeName = pod.path("spec").path("nodeName").asText("");
            if (nodeName.isEmpty()) {
                throw Statuses.badRequest("pod " + call.name() + " does not have a host assigned");
            }
            return PodLocation.connection(registry, nodeName, preferredAddressTypes)
                    .compose(at -> {
                        String path = "/" + kind.kubeletPath + "/" + call.namespace() + "/" + call.name()
                                + (container == null ? "" : "/" + container);
                        if (!WebSocketUpgrade.requested(rc.request())) {
                            // the upgrade-aware proxy with upgradeRequired; a SPDY upgrade is a divergence
                            return Future.failedFuture(
                                    rc.request().getHeader("Upgrade") == null
                                            ? Statuses.badRequest("Upgrade request required")
                                            : new StatusException(Status.failure(
                                                    501,
                                                    "NotImplemented",
                                                    "the fake apiserver streams pods/" + kind.kubeletPath
                                                            + " over WebSocket only (kubectl's default since v1.31),"
                                                            + " not "
                                                            + rc.request().getHeader("Upgrade"),
                                                    null)));
                        }
                        return new StreamRelay(webSockets, rc, call.state(), at, path + encode(params)).start();
                    });
        });
    }

    /**
     * The kubelet's query (streamParams, url.Values.Encode: keys sorted): {@code input}, {@code output},
     * {@code error}, {@code tty} as "1", {@code command} repeated; {@code port} for port forwarding.
     */
    Map<String, List<String>> kubeletParams(QueryParameters query) {
        Map<String, List<String>> out = new TreeMap<>();
        if (kind == Kind.PORT_FORWARD) {
            List<String> ports = new ArrayList<>();
            for (String value : query.all("ports")) {
                for (String p : value.split(",", -1)) {
                    ports.add(port(p.trim()));
                }
            }
            if (!ports.isEmpty()) {
                out.put("port", List.of(String.join(",", ports)));
            }
            return out;
        }
        for (String[] flag :
                new String[][] {{"stdin", "input"}, {"stdout", "output"}, {"stderr", "error"}, {"tty", "tty"}}) {
            if (flag(query.first(flag[0]))) {
                out.put(flag[1], List.of("1"));
            }
        }
        if (kind == Kind.EXEC && !query.all("command").isEmpty()) {
            out.put("command", query.all("command"));
        }
        return out;
    }

    /** runtime.Convert_Slice_string_To_bool: absent is false, "false" and "0" are false, anything else true. */
    private static boolean flag(String value) {
        return value != null && !value.equalsIgnoreCase("false") && !value.equals("0");
    }

    /** The []int32 conversion of a port, with the reference's message for what does not parse. */
    private static String port(String p) {
        try {
            long n = Long.parseUnsignedLong(p);
            if (n > 0xFFFFFFFFL) {
                throw new NumberFormatException();
            }
            return Long.toString((int) n);
        } catch (NumberFormatException e) {
            throw Statuses.badRequest(
                    "cannot convert to []int32: strconv.ParseUint: parsing \"" + p + "\": invalid syntax");
        }
    }

    static String encode(Map<String, List<String>> params) {
        StringBuilder query = new StringBuilder();
        params.forEach((k, vs) -> vs.forEach(v -> query.append(query.length() == 0 ? "?" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return query.toString();
    }
}
