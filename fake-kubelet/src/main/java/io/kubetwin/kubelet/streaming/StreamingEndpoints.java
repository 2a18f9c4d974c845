package io.kubetwin.kubelet.streaming;

import io.kubetwin.kubelet.pods.Pod;
import io.kubetwin.kubelet.pods.PodSource;
import io.kubetwin.kubelet.server.Endpoint;
import io.kubetwin.kubelet.server.Responses;
import io.vertx.core.buffer.Buffer;
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
 * container's commands ({@link ContainerShell}). SPDY upgrades and port forwarding are not implemented (501).
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

    /** {@code /portForward/{podNamespace}/{podID}[/{uid}]}: authorized and routed; the stream is not implemented. */
    public Endpoint portForward() {
        return routed("/portForward", 2, Set.of("GET", "POST"), (request, segments) -> {
            if (pods.pod(segments[0], segments[1]).isEmpty()) {
                Responses.restfulText(request, 404, "pod does not exist");
                return;
            }
            Responses.goError(request, 501, "port forwarding is not implemented by the fake kubelet");
        });
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
