package io.kubetwin.kubelet.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kubetwin.kubelet.pods.Pod;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kubelet's side of a port-forward SPDY connection, driven by Netty's SPDY codec as the client: the replies,
 * the refusals of httpStreamReceived, the simulated server of a declared port and the runtime's error for another.
 */
class PortForwardSessionTest {
    static final Pod POD = new Pod(
            "default", "web-1", "uid-1", List.of(new Pod.Container("web", "nginx:1.27", List.of(), List.of(80))), true);

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "     | data  | `\"port\" header is required`",
                "x    | data  | `unable to parse \"x\" as a port: strconv.ParseUint: parsing \"x\": invalid syntax`",
                "70000| data  | `unable to parse \"70000\" as a port: strconv.ParseUint: parsing \"70000\": value out of range`",
                "0    | data  | `port \"0\" must be > 0`",
                "80   |       | `\"streamType\" header is required`",
                "80   | other | `invalid stream type \"other\"`",
            })
    void httpStreamReceivedRefusals(String port, String type, String message) {
        assertEquals(message, PortForwardSession.validate(port, type));
    }

    @Test
    void validStreams() {
        assertNull(PortForwardSession.validate("80", "data"));
        assertNull(PortForwardSession.validate("65535", "error"));
    }

    /** A client: Netty's codec encodes what it sends and decodes what the kubelet answers. */
    static final class Client {
        final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        final List<Buffer> wire = new ArrayList<>();
        final SpdyConnection kubelet = new SpdyConnection(wire::add, () -> {}, new PortForwardSession(POD));

        void send(Object frame) {
            codec.writeOutbound(frame);
            ByteBuf out;
            while ((out = codec.readOutbound()) != null) {
                byte[] bytes = new byte[out.readableBytes()];
                out.readBytes(bytes);
                out.release();
                kubelet.receive(Buffer.buffer(bytes));
            }
        }

        void open(int id, Map<String, String> headers) {
            DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
            headers.forEach(syn.headers()::set);
            send(syn);
        }

        /** What the kubelet wrote since the last call, decoded, as short descriptions. */
        List<String> received() {
            for (Buffer b : wire) {
                codec.writeInbound(Unpooled.wrappedBuffer(b.getBytes()));
            }
            wire.clear();
            List<String> frames = new ArrayList<>();
            Object f;
            while ((f = codec.readInbound()) != null) {
                try {
                    frames.add(describe(f));
                } finally {
                    ReferenceCountUtil.release(f);
                }
            }
            return frames;
        }

        static String describe(Object f) {
            if (f instanceof SpdySynReplyFrame r) {
                return "SYN_REPLY " + r.streamId() + " headers="
                        + r.headers().names().size() + " fin=" + r.isLast();
            }
            if (f instanceof SpdyDataFrame d) {
                return "DATA " + d.streamId() + " "
                        + d.content().toString(StandardCharsets.UTF_8).replace("\r\n", "|")
                        + (d.isLast() ? " FIN" : "");
            }
            if (f instanceof SpdyRstStreamFrame r) {
                return "RST " + r.streamId() + " " + r.status().code();
            }
            if (f instanceof SpdyPingFrame p) {
                return "PING " + p.id();
            }
            return f.toString();
        }
    }

    private static Map<String, String> headers(String type, String port, String requestId) {
        return Map.of("streamtype", type, "port", port, "requestid", requestId);
    }

    @Test
    void aDeclaredPortAnswersOneHttpRequest() {
        Client c = new Client();
        c.open(1, headers("error", "80", "0"));
        c.open(3, headers("data", "80", "0"));
        assertEquals(List.of("SYN_REPLY 1 headers=0 fin=false", "SYN_REPLY 3 headers=0 fin=false"), c.received());
        c.send(new DefaultSpdyDataFrame(1, Unpooled.EMPTY_BUFFER).setLast(true));
        c.send(new DefaultSpdyDataFrame(
                3, Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.UTF_8)));
        String body = "kubetwin fake pod default/web-1: container web, port 80\n";
        assertEquals(
                List.of(
                        "DATA 3 HTTP/1.1 200 OK|Content-Length: " + body.length()
                                + "|Content-Type: text/plain; charset=utf-8|Connection: close||" + body,
                        "DATA 3  FIN",
                        "DATA 1  FIN"),
                c.received());
    }

    @Test
    void otherBytesAreEchoedUntilTheClientCloses() {
        Client c = new Client();
        c.open(1, headers("error", "80", "7"));
        c.open(3, headers("data", "80", "7"));
        c.send(new DefaultSpdyDataFrame(3, Unpooled.copiedBuffer("ping\n", StandardCharsets.UTF_8)));
        c.send(new DefaultSpdyDataFrame(3, Unpooled.EMPTY_BUFFER).setLast(true));
        assertEquals(
                List.of(
                        "SYN_REPLY 1 headers=0 fin=false",
                        "SYN_REPLY 3 headers=0 fin=false",
                        "DATA 3 ping\n",
                        "DATA 3  FIN",
                        "DATA 1  FIN"),
                c.received());
    }

    @Test
    void anUndeclaredPortIsTheRuntimesRefusalThenResets() {
        Client c = new Client();
        // without requestID the pair is found by stream ids (error n, data n+2)
        c.open(5, Map.of("streamtype", "error", "port", "81"));
        c.open(7, Map.of("streamtype", "data", "port", "81"));
        String sandbox = POD.sandboxId();
        assertEquals(
                List.of(
                        "SYN_REPLY 5 headers=0 fin=false",
                        "SYN_REPLY 7 headers=0 fin=false",
                        "DATA 5 error forwarding port 81 to pod " + sandbox + ", uid : failed to execute portforward in"
                                + " network namespace \"/var/run/netns/" + ForwardedPort.netnsName(POD)
                                + "\": failed to"
                                + " connect to localhost:81 inside namespace \"" + sandbox + "\", IPv4: dial tcp4"
                                + " 127.0.0.1:81: connect: connection refused IPv6 dial tcp6 [::1]:81: connect:"
                                + " connection refused ",
                        "RST 7 5",
                        "RST 5 5"),
                c.received());
        assertEquals(64, sandbox.length());
    }

    @Test
    void aStreamWithoutItsHeadersIsRefusedAndPingsAreEchoed() {
        Client c = new Client();
        c.open(1, Map.of("streamtype", "error"));
        c.send(new DefaultSpdyPingFrame(1));
        assertEquals(List.of("RST 1 5", "PING 1"), c.received());
    }

    @Test
    void aSecondStreamOfOneTypeIsReportedOnTheErrorStream() {
        Client c = new Client();
        c.open(1, headers("error", "80", "0"));
        c.open(3, headers("error", "80", "0"));
        assertEquals(
                List.of(
                        "SYN_REPLY 1 headers=0 fin=false",
                        "SYN_REPLY 3 headers=0 fin=false",
                        "DATA 1 error processing stream for request 0: error stream already assigned"),
                c.received());
    }
}
