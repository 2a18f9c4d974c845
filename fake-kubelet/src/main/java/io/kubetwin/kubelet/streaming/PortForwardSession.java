package io.kubetwin.kubelet.streaming;

import io.kubetwin.kubelet.pods.Pod;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One port-forwarding SPDY connection as k8s.io/kubelet/pkg/cri/streaming/portforward/httpstream.go serves it: each
 * stream the client opens must name its {@code port} and {@code streamType} ({@code error} or {@code data}), or it
 * is refused with httpStreamReceived's reason; streams are paired by {@code requestID} (without one: the error
 * stream's id, the data stream's id minus 2); a second stream of a type already paired is reported on the error
 * stream ({@code error processing stream for request N: data stream already assigned}); a complete pair is forwarded
 * to the pod's port ({@link ForwardedPort}). The stream-creation timeout (30 s upstream, whose message carries a Go
 * pointer) is not reproduced. Confined to the connection's event loop.
 */
final class PortForwardSession implements SpdyConnection.StreamHandler {
    static final String PORT = "port";
    static final String STREAM_TYPE = "streamtype";
    static final String REQUEST_ID = "requestid";
    static final String ERROR = "error";
    static final String DATA = "data";

    private final Pod pod;
    private final Map<String, Pair> pairs = new HashMap<>();

    PortForwardSession(Pod pod) {
        this.pod = pod;
    }

    @Override
    public String opened(SpdyConnection.Stream stream) {
        return validate(stream.header(PORT), stream.header(STREAM_TYPE));
    }

    /** The run loop's part, after newSpdyStream has replied: pairing, then the forward. */
    @Override
    public void accepted(SpdyConnection.Stream stream) {
        String type = stream.header(STREAM_TYPE);
        String requestId = stream.header(REQUEST_ID);
        if (requestId == null || requestId.isEmpty()) {
            requestId = Integer.toString(type.equals(ERROR) ? stream.id : stream.id - 2);
        }
        Pair pair = pairs.computeIfAbsent(requestId, k -> new Pair());
        String already = pair.add(type, stream);
        if (already != null) {
            pair.printError("error processing stream for request " + requestId + ": " + already);
        } else if (pair.complete()) {
            pairs.remove(requestId);
            int port = Integer.parseInt(pair.data.header(PORT));
            ForwardedPort.forward(pod, port, pair.data, pair.error);
        }
    }

    /** httpStreamReceived's checks, in its order, with its messages. */
    static String validate(String port, String streamType) {
        if (port == null || port.isEmpty()) {
            return "\"port\" header is required";
        }
        String parsed = GoStrconv.parseUint16(port);
        if (parsed != null) {
            return "unable to parse \"" + port + "\" as a port: " + parsed;
        }
        if (Integer.parseInt(port) < 1) {
            return "port \"" + port + "\" must be > 0";
        }
        if (streamType == null || streamType.isEmpty()) {
            return "\"streamType\" header is required";
        }
        if (!streamType.equals(ERROR) && !streamType.equals(DATA)) {
            return "invalid stream type \"" + streamType + "\"";
        }
        return null;
    }

    private static final class Pair {
        SpdyConnection.Stream error;
        SpdyConnection.Stream data;

        String add(String type, SpdyConnection.Stream stream) {
            if (type.equals(ERROR)) {
                if (error != null) {
                    return "error stream already assigned";
                }
                error = stream;
            } else {
                if (data != null) {
                    return "data stream already assigned";
                }
                data = stream;
            }
            return null;
        }

        boolean complete() {
            return error != null && data != null;
        }

        void printError(String message) {
            if (error != null) {
                error.write(Buffer.buffer(message));
            }
        }
    }

    /** strconv.ParseUint(s, 10, 16)'s error text, or null when s is a port number. */
    static final class GoStrconv {
        private GoStrconv() {}

        static String parseUint16(String s) {
            if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return "strconv.ParseUint: parsing \"" + s + "\": invalid syntax";
            }
            String digits = s.replaceFirst("^0+(?=.)", "");
            if (digits.length() > 5 || Integer.parseInt(digits) > 65535) {
                return "strconv.ParseUint: parsing \"" + s + "\": value out of range";
            }
            return null;
        }
    }
}
