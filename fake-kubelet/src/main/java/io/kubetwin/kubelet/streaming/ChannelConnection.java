package io.kubetwin.kubelet.streaming;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * One remote command's streams multiplexed on a WebSocket, as k8s.io/apimachinery wsstream's binary channel
 * protocol carries them: every binary message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 error,
 * 4 resize). {@code v4.channel.k8s.io} writes the final status as a JSON {@code metav1.Status} on the error
 * channel; the older {@code channel.k8s.io} (and no subprotocol) writes only a failure's message there;
 * {@code v5.channel.k8s.io} adds the CLOSE signal ({@code [255, channel]}) by which the client half-closes its
 * stdin. Confined to the connection's event loop.
 */
public final class ChannelConnection {
    /** The subprotocols the fake kubelet negotiates, in the order of its preference for a client's offer. */
    public static final List<String> PROTOCOLS =
            List.of(ChannelConnection.V5, ChannelConnection.V4, ChannelConnection.V1);

    public static final String V5 = "v5.channel.k8s.io";
    public static final String V4 = "v4.channel.k8s.io";
    public static final String V1 = "channel.k8s.io";

    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    public static final int ERROR = 3;
    private static final int CLOSE = 255;
    /** websocket close code 1000: what wsstream's conn.Close sends. */
    private static final short NORMAL_CLOSURE = 1000;

    private final ServerWebSocket ws;
    private final String protocol;
    private boolean closed;

    public ChannelConnection(ServerWebSocket ws) {
        this.ws = ws;
        this.protocol = ws.subProtocol() == null ? "" : ws.subProtocol();
    }

    /** Data on stdin, and the end of stdin (a v5 CLOSE signal, or the connection going away). */
    public void onStdin(Consumer<Buffer> data, Runnable end) {
        ws.binaryMessageHandler(message -> {
            if (message.length() == 0) {
                return;
            }
            int channel = message.getUnsignedByte(0);
            if (channel == STDIN) {
                data.accept(message.slice(1, message.length()));
            } else if (channel == CLOSE && V5.equals(protocol) && message.length() > 1 && message.getByte(1) == STDIN) {
                end.run();
            }
        });
        ws.closeHandler(v -> {
            closed = true;
            end.run();
        });
    }

    /** Called when the client goes away. */
    public void onClose(Runnable hook) {
        ws.closeHandler(v -> {
            closed = true;
            hook.run();
        });
    }

    /** v5, which only the fake apiserver speaks to the fake kubelet, in the place of its StreamTranslator. */
    public boolean translated() {
        return V5.equals(protocol);
    }

    public boolean closed() {
        return closed;
    }

    public void write(int channel, String text) {
        write(channel, Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
    }

    public void write(int channel, Buffer data) {
        if (!closed) {
            ws.writeBinaryMessage(Buffer.buffer().appendByte((byte) channel).appendBuffer(data));
        }
    }

    /**
     * The final status, then the close: {@code statusJson} is the marshalled metav1.Status for v4/v5,
     * {@code failureMessage} (null on success) what the older protocols write.
     */
    public void finish(String statusJson, String failureMessage) {
        if (closed) {
            return;
        }
        if (V4.equals(protocol) || V5.equals(protocol)) {
            write(ERROR, statusJson);
        } else if (failureMessage != null) {
            write(ERROR, failureMessage);
        }
        closed = true;
        ws.close(NORMAL_CLOSURE);
    }
}
