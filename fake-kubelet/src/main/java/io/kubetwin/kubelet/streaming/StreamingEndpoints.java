package io.kubetwin.kubelet.streaming;

import io.kubetwin.kubelet.pods.Pod;
import io.kubetwin.kubelet.pods.PodSource;
import io.kubetwin.kubelet.server.Endpoint;
import io.kubetwin.kubelet.server.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /exec}, {@code /attach}, {@code /run} and {@code /portForward} as pkg/kubelet/server/server.go getExec,
 * getAttach, getRun and getPortForward answer them, in their order: the stream options (400
 * {@code you must specify at least 1 of stdin, stdout, stderr}), the pod (404 {@code pod does not exist}), the
 * container (500 {@code container not found ("C")}), then the stream itself, which the kubelet proxies to its
 * runtime's streaming server: a request that is not an upgrade is that proxy's 500 {@code Upgrade request
 * required}; a WebSocket upgrade gets the channel protocols ({@link ChannelConnection}) with the simulated
 * container's commands ({@link ContainerShell}); SPDY upgrades of exec and attach are not implemented (501). Port
 * forwarding speaks SPDY ({@link PortForwardSession}).
 * Thread-safe.
 */
public final class StreamingEndpoints {
    private final PodSource pods;

    public StreamingEndpoints(PodSource pods) {
        this.pods = pods;
    }

    /** {@code /exec/{podNamespace}/{podID}[/{uid}]/{containerName}?command=...}: GET or POST. */
    public Endpoint exec() {
        return routed("/exec", 3, Set.of("GET", "POST"), (request, segments) -> {
            StreamOptions options = StreamOptions.parse(request);
            if (options == null) {
                Responses.restfulText(request, 400, StreamOptions.NONE_REQUESTED);
                return;
            }
            withContainer(request, segments, "container not found (\"%2$s\")", (pod, container) -> {
                List<String> command = request.params().getAll("command");
                upgrade(request, connection -> execute(connection, options, command, pod, container));
            });
        });
    }

    /** {@code /attach/{podNamespace}/{podID}[/{uid}]/{containerName}}: the container's output, stdin echoed. */
    public Endpoint attach() {
        return routed("/attach", 3, Set.of("GET", "POST"), (request, segments) -> {
            StreamOptions options = StreamOptions.parse(request);
            if (options == null) {
                Responses.restfulText(request, 400, StreamOptions.NONE_REQUESTED);
                return;
            }
            withContainer(
                    request,
                    segments,
                    "container %2$s not found in pod %1$s",
                    (pod, container) -> upgrade(request, connection -> attach(connection, options, container)));
        });
    }

    /**
     * {@code POST /run/{podNamespace}/{podID}[/{uid}]/{containerName}?cmd=...}: the command's combined output as
     * the body (writeJSONResponse labels it application/json whatever it is); a failed command is a 500 with the
     * runtime's error.
     */
    public Endpoint run() {
        return routed("/run", 3, Set.of("POST"), (request, segments) -> {
            Optional<Pod> pod = pods.pod(segments[0], segments[1]);
            if (pod.isEmpty()) {
                Responses.restfulText(request, 404, "pod does not exist");
                return;
            }
            String containerName = segments[segments.length - 1];
            Optional<Pod.Container> container = pod.get().container(containerName);
            if (container.isEmpty()) {
                Responses.restfulText(request, 500, "container not found (\"" + containerName + "\")");
                return;
            }
            // for legacy reasons /run splits one cmd parameter on spaces
            String cmd = request.getParam("cmd") == null ? "" : request.getParam("cmd");
            List<String> argv = Arrays.asList(cmd.split(" ", -1));
            ContainerShell.Result r = ContainerShell.run(argv, pod.get(), container.get());
            if (r.exitCode() != 0) {
                Responses.restfulText(
                        request,
                        500,
                        "command '" + String.join(" ", argv) + "' exited with " + r.exitCode() + ": " + r.stderr());
                return;
            }
            Responses.write(request, 200, Responses.JSON, r.stdout() + r.stderr());
        });
    }

    /**
     * {@code /portForward/{podNamespace}/{podID}[/{uid}]} as getPortForward checks it: a WebSocket request's
     * {@code port} query (portforward.NewV4Options, 400), the pod (404 {@code pod does not exist}, a uid that is not
     * the pod's: {@code pod not found}), then the stream. A SPDY upgrade ({@code Upgrade: SPDY/3.1} with
     * {@code X-Stream-Protocol-Version: portforward.k8s.io}, httpstream.Handshake) gets the SPDY port-forward
     * protocol ({@link PortForwardSession}); so does a WebSocket offering {@code SPDY/3.1+portforward.k8s.io}, the
     * tunnel kube-apiserver's StreamTunnel accepts from kubectl and which the fake apiserver relays here as it is
     * (the real apiserver turns it into a SPDY upgrade). The v4 WebSocket channel protocol of port forwarding
     * ({@code portforward.k8s.io} as a WebSocket subprotocol) is not implemented (501).
     */
    public Endpoint portForward() {
        return routed("/portForward", 2, Set.of("GET", "POST"), (request, segments) -> {
            boolean webSocket = isWebSocket(request);
            boolean tunnel = webSocket && offeredWebSocketProtocols(request).contains(SPDY_TUNNEL_PROTOCOL);
            if (webSocket && !tunnel) {
                String invalid = v4Options(request);
                if (invalid != null) {
                    Responses.restfulText(request, 400, invalid);
                    return;
                }
            }
            Optional<Pod> pod = pods.pod(segments[0], segments[1]);
            if (pod.isEmpty()) {
                Responses.restfulText(request, 404, "pod does not exist");
                return;
            }
            if (segments.length == 3 && !segments[2].equals(pod.get().uid())) {
                Responses.restfulText(request, 404, "pod not found");
                return;
            }
            PortForwardSession session = new PortForwardSession(pod.get());
            if (tunnel) {
                request.toWebSocket().onSuccess(ws -> {
                    SpdyConnection spdy = new SpdyConnection(ws::writeBinaryMessage, ws::close, session);
                    ws.binaryMessageHandler(spdy::receive);
                    ws.closeHandler(v -> spdy.closed());
                });
                return;
            }
            if (webSocket) {
                Responses.goError(
                        request,
                        501,
                        "the fake kubelet forwards ports over SPDY (or SPDY tunnelled in a WebSocket) only");
                return;
            }
            String upgrade = request.getHeader("Upgrade");
            if (upgrade == null || !connectionUpgrade(request)) {
                Responses.goError(request, 500, "Upgrade request required");
                return;
            }
            spdyHandshake(request, session);
        });
    }

    /** The WebSocket subprotocol of SPDY tunnelled through a WebSocket (apimachinery's portforward constants). */
    public static final String SPDY_TUNNEL_PROTOCOL = "SPDY/3.1+portforward.k8s.io";

    /** The port-forward protocols the kubelet's streaming server supports (portforward.SupportedProtocols). */
    static final List<String> PORT_FORWARD_PROTOCOLS = List.of("portforward.k8s.io");

    /**
     * httpstream.Handshake, then spdy.responseUpgrader's checks and switch (101 with {@code Connection: Upgrade},
     * {@code Upgrade: SPDY/3.1} and the negotiated {@code X-Stream-Protocol-Version}). A request without a
     * protocol version: the handshake's error is only logged and nothing written, which net/http sends as an empty
     * 200.
     */
    private static void spdyHandshake(HttpServerRequest request, PortForwardSession session) {
        List<String> offered = commaSeparated(request.headers().getAll("X-Stream-Protocol-Version"));
        if (offered.isEmpty()) {
            Responses.write(request, 200, null, "");
            return;
        }
        String negotiated = offered.stream()
                .filter(PORT_FORWARD_PROTOCOLS::contains)
                .findFirst()
                .orElse(null);
        if (negotiated == null) {
            PORT_FORWARD_PROTOCOLS.forEach(
                    p -> request.response().headers().add("X-Accepted-Stream-Protocol-Versions", p));
            Responses.goError(
                    request,
                    403,
                    "unable to upgrade: unable to negotiate protocol: client supports [" + String.join(" ", offered)
                            + "], server accepts [" + String.join(" ", PORT_FORWARD_PROTOCOLS) + "]");
            return;
        }
        request.response().headers().add("X-Stream-Protocol-Version", negotiated);
        if (!request.getHeader("Upgrade").toLowerCase(Locale.ROOT).contains("spdy/3.1")) {
            Responses.goError(
                    request, 400, "unable to upgrade: missing upgrade headers in request: " + goHeaderMap(request));
            return;
        }
        if (request.method() != HttpMethod.GET) {
            // Vert.x hands over the connection of a GET upgrade only; the apiserver's SPDY upgrade is a POST
            Responses.goError(request, 501, "the fake kubelet switches SPDY upgrades of GET requests only");
            return;
        }
        request.response().headers().add("Connection", "Upgrade").add("Upgrade", "SPDY/3.1");
        request.toNetSocket().onSuccess(socket -> {
            SpdyConnection spdy = new SpdyConnection(socket::write, socket::close, session);
            socket.handler(spdy::receive);
            socket.closeHandler(v -> spdy.closed());
        });
    }

    /** A rough rendering of Go's %#v of the request's http.Header (the order of a Go map is random anyway). */
    private static String goHeaderMap(HttpServerRequest request) {
        StringBuilder out = new StringBuilder("http.Header{");
        boolean first = true;
        for (String name : new java.util.TreeSet<>(request.headers().names())) {
            out.append(first ? "" : ", ").append('"').append(name).append("\":[]string{");
            out.append(String.join(
                    ", ",
                    request.headers().getAll(name).stream()
                            .map(v -> "\"" + v + "\"")
                            .toList()));
            out.append('}');
            first = false;
        }
        return out.append('}').toString();
    }

    /** portforward.NewV4Options for a WebSocket request: the {@code port} query parameter, or the error text. */
    static String v4Options(HttpServerRequest request) {
        List<String> ports = request.params().getAll("port");
        if (ports.isEmpty()) {
            return "query parameter \"port\" is required";
        }
        for (String value : ports) {
            if (value.isEmpty()) {
                return "query parameter \"port\" cannot be empty";
            }
            for (String p : value.split(",", -1)) {
                String parsed = PortForwardSession.GoStrconv.parseUint16(p);
                if (parsed != null) {
                    return "unable to parse \"" + value + "\" as a port: " + parsed;
                }
                if (Integer.parseInt(p) < 1) {
                    return "port \"" + value + "\" must be > 0";
                }
            }
        }
        return null;
    }

    /** wsstream.IsWebSocketRequest: {@code Connection: upgrade} and {@code Upgrade: websocket}. */
    private static boolean isWebSocket(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.equalsIgnoreCase("websocket") && connectionUpgrade(request);
    }

    private static List<String> offeredWebSocketProtocols(HttpServerRequest request) {
        return commaSeparated(request.headers().getAll("Sec-WebSocket-Protocol"));
    }

    private static List<String> commaSeparated(List<String> values) {
        List<String> out = new java.util.ArrayList<>();
        for (String v : values) {
            for (String p : v.split(",")) {
                if (!p.trim().isEmpty()) {
                    out.add(p.trim());
                }
            }
        }
        return out;
    }

    private interface Routed {
        void handle(HttpServerRequest request, String[] segments);
    }

    private interface WithContainer {
        void handle(Pod pod, Pod.Container container);
    }

    /** go-restful routes {@code ROOT/{podNamespace}/{podID}[/{uid}]/...}: others are its 404, other methods 405. */
    private static Endpoint routed(String root, int minSegments, Set<String> methods, Routed handler) {
        return (request, path) -> {
            String[] segments =
                    path.substring(root.length()).replaceFirst("^/", "").split("/", -1);
            boolean matches = path.startsWith(root + "/")
                    && segments.length >= minSegments
                    && segments.length <= minSegments + 1
                    && Arrays.stream(segments).noneMatch(String::isEmpty);
            if (!matches) {
                Responses.restfulNotFound(request);
            } else if (!methods.contains(request.method().name())) {
                Responses.restfulMethodNotAllowed(request);
            } else {
                handler.handle(request, segments);
            }
        };
    }

    /** The pod (404), then the container the runtime must find (500, streaming.WriteError's plain text). */
    private void withContainer(HttpServerRequest request, String[] segments, String notFound, WithContainer then) {
        Optional<Pod> pod = pods.pod(segments[0], segments[1]);
        if (pod.isEmpty()) {
            Responses.restfulText(request, 404, "pod does not exist");
            return;
        }
        String containerName = segments[segments.length - 1];
        Optional<Pod.Container> container = pod.get().container(containerName);
        if (container.isEmpty()) {
            // kubecontainer.GetPodFullName: NAME_NAMESPACE
            String fullName = pod.get().name() + "_" + pod.get().namespace();
            Responses.write(request, 500, Responses.TEXT, String.format(notFound, fullName, containerName));
            return;
        }
        then.handle(pod.get(), container.get());
    }

    /**
     * The runtime's stream: WebSocket only. Not an upgrade: the kubelet's proxyStream answers 500 {@code Upgrade
     * request required}; a SPDY upgrade: 501 (the fake has no SPDY).
     */
    private static void upgrade(HttpServerRequest request, java.util.function.Consumer<ChannelConnection> session) {
        String upgrade = request.getHeader("Upgrade");
        if (upgrade == null || !connectionUpgrade(request)) {
            Responses.goError(request, 500, "Upgrade request required");
            return;
        }
        if (!upgrade.equalsIgnoreCase("websocket")) {
            Responses.goError(request, 501, "the fake kubelet streams over WebSocket only, not " + upgrade);
            return;
        }
        request.toWebSocket().onSuccess(ws -> session.accept(new ChannelConnection(ws)));
    }

    private static boolean connectionUpgrade(HttpServerRequest request) {
        return request.headers().getAll("Connection").stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("upgrade"));
    }

    /** createWebSocketStreams' first message, then the command, then ServeExec's status. */
    static void execute(
            ChannelConnection connection,
            StreamOptions options,
            List<String> command,
            Pod pod,
            Pod.Container container) {
        announce(connection, options);
        ContainerShell.Result r = ContainerShell.run(command, pod, container);
        output(connection, options, ChannelConnection.STDOUT, r.stdout());
        output(connection, options, ChannelConnection.STDERR, r.stderr());
        String failure = r.exitCode() == 0
                ? null
                : RemoteCommandStatus.exitCodeMessage(command, r.exitCode(), connection.translated());
        Runnable done = () -> connection.finish(
                failure == null ? RemoteCommandStatus.success() : RemoteCommandStatus.exitCode(failure, r.exitCode()),
                failure);
        if (r.copiesStdin() && options.stdin()) {
            connection.onStdin(data -> output(connection, options, ChannelConnection.STDOUT, data), done);
        } else {
            done.run();
        }
    }

    /** The attached container prints its log lines; stdin, when attached, is echoed; the stream stays open. */
    static void attach(ChannelConnection connection, StreamOptions options, Pod.Container container) {
        announce(connection, options);
        StringBuilder lines = new StringBuilder();
        container.logLines().forEach(line -> lines.append(line).append('\n'));
        output(connection, options, ChannelConnection.STDOUT, lines.toString());
        if (options.stdin()) {
            connection.onStdin(data -> output(connection, options, ChannelConnection.STDOUT, data), () -> {});
        } else {
            connection.onClose(() -> {});
        }
    }

    /** An empty message on the lowest writable channel tells the client the streams are open. */
    private static void announce(ChannelConnection connection, StreamOptions options) {
        int channel = options.stdout()
                ? ChannelConnection.STDOUT
                : options.stderr() ? ChannelConnection.STDERR : ChannelConnection.ERROR;
        connection.write(channel, Buffer.buffer());
    }

    private static void output(ChannelConnection connection, StreamOptions options, int channel, String text) {
        if (!text.isEmpty()) {
            output(connection, options, channel, Buffer.buffer(text));
        }
    }

    /** With a TTY stderr shares the terminal (stdout) and newlines come out as CRLF. */
    private static void output(ChannelConnection connection, StreamOptions options, int channel, Buffer data) {
        int target = options.tty() ? ChannelConnection.STDOUT : channel;
        if ((target == ChannelConnection.STDOUT && !options.stdout())
                || (target == ChannelConnection.STDERR && !options.stderr())) {
            return;
        }
        Buffer out = data;
        if (options.tty()) {
            out = Buffer.buffer(data.toString().replaceAll("(?<!\r)\n", "\r\n"));
        }
        connection.write(target, out);
    }
}
