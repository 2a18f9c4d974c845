package io.kubetwin.kubelet.streaming;

import io.kubetwin.kubelet.pods.Pod;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a forwarded port reaches in a pod of the fake node, where nothing runs. A TCP port one of the pod's containers
 * declares ({@code ports[].containerPort}) answers as a small simulated server: a connection that starts with an
 * HTTP request line gets one {@code 200} response naming the pod, container and port
 * ({@code kubetwin fake pod NS/NAME: container C, port P}) and is then closed, as {@code Connection: close} says; any
 * other connection is echoed until the client ends it. A port no container declares is a port nothing listens on:
 * the error containerd's CRI plugin (internal/cri/server/sandbox_portforward_linux.go) returns for a refused
 * connection, wrapped by httpstream.go's {@code error forwarding port P to pod SANDBOX, uid : ...} (the CRI
 * streaming server passes no uid), written on the error stream before both streams are reset. The sandbox id and
 * network namespace are derived from the pod's uid ({@link Pod#sandboxId()}), so the text is deterministic.
 * Otherwise, as httpstream.go's portForward, both streams are closed (FIN) when the forward ends.
 */
final class ForwardedPort {
    private static final List<String> METHODS =
            List.of("GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ");

    private ForwardedPort() {}

    static void forward(Pod pod, int port, SpdyConnection.Stream data, SpdyConnection.Stream error) {
        Pod.Container container = pod.containerWithPort(port).orElse(null);
        if (container == null) {
            error.write(Buffer.buffer(refused(pod, port)));
            data.reset();
            error.reset();
            return;
        }
        error.onData(b -> {}, () -> {});
        new Server(pod, container, port, data, error).start();
    }

    /** The error stream's text for a port nothing listens on. */
    static String refused(Pod pod, int port) {
        String sandbox = pod.sandboxId();
        String netns = "/var/run/netns/" + netnsName(pod);
        return "error forwarding port " + port + " to pod " + sandbox + ", uid : failed to execute portforward in"
                + " network namespace \"" + netns + "\": failed to connect to localhost:" + port
                + " inside namespace \"" + sandbox + "\", IPv4: dial tcp4 127.0.0.1:" + port
                + ": connect: connection refused IPv6 dial tcp6 [::1]:" + port + ": connect: connection refused ";
    }

    /** The CNI network namespace's name, {@code cni-} and a UUID-shaped id, derived from the pod's uid. */
    static String netnsName(Pod pod) {
        String h = Pod.sha256("netns/" + pod.uid());
        return "cni-" + h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
                + h.substring(16, 20) + "-" + h.substring(20, 32);
    }

    /** The body a simulated HTTP port answers with. */
    static String body(Pod pod, Pod.Container container, int port) {
        return "kubetwin fake pod " + pod.namespace() + "/" + pod.name() + ": container " + container.name() + ", port "
                + port + "\n";
    }

    /** One forwarded connection to a declared port. */
    private static final class Server {
        private final Pod pod;
        private final Pod.Container container;
        private final int port;
        private final SpdyConnection.Stream data;
        private final SpdyConnection.Stream error;
        private final StringBuilder request = new StringBuilder();
        private Boolean http;
        private boolean done;

        Server(Pod pod, Pod.Container container, int port, SpdyConnection.Stream data, SpdyConnection.Stream error) {
            this.pod = pod;
            this.container = container;
            this.port = port;
            this.data = data;
            this.error = error;
        }

        void start() {
            data.onData(this::received, this::end);
        }

        private void received(Buffer bytes) {
            if (done) {
                return;
            }
            if (http == null) {
                String start = bytes.getString(0, Math.min(bytes.length(), 8), "ISO-8859-1");
                http = METHODS.stream().anyMatch(start::startsWith);
            }
            if (!http) {
                data.write(bytes);
                return;
            }
            request.append(bytes.toString(StandardCharsets.ISO_8859_1));
            if (request.indexOf("\r\n\r\n") >= 0 || request.indexOf("\n\n") >= 0) {
                respond(request.toString().startsWith("HEAD "));
            }
        }

        private void respond(boolean head) {
            byte[] body = body(pod, container, port).getBytes(StandardCharsets.UTF_8);
            String headers = "HTTP/1.1 200 OK\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "Connection: close\r\n\r\n";
            Buffer response = Buffer.buffer(headers);
            if (!head) {
                response.appendBytes(body);
            }
            data.write(response);
            end();
        }

        /** The forward is over: both streams closed, as portForward's deferred Close calls do. */
        private void end() {
            if (done) {
                return;
            }
            done = true;
            data.close();
            error.close();
        }
    }
}
