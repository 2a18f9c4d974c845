package io.kubetwin.kubelet.streaming;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyFrameEncoder;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.Deflater;

/**
 * The server side of a SPDY/3.1 connection as github.com/moby/spdystream and
 * k8s.io/apimachinery/pkg/util/httpstream/spdy/connection.go run it for the kubelet, over any byte transport (a
 * hijacked socket after {@code Upgrade: SPDY/3.1}, or the binary messages of a WebSocket tunnel): the peer opens
 * streams (SYN_STREAM with headers), each is handed to the {@link StreamHandler}, then accepted with an empty
 * SYN_REPLY or reset (RST_STREAM CANCEL) when the handler refuses it; DATA both ways, FIN half-closes; a PING the
 * peer started is echoed. No flow control, as spdystream sends no WINDOW_UPDATE either.
 *
 * <p>Frames are read with Netty's {@link SpdyFrameCodec} (its zlib header decompression with the SPDY/3
 * dictionary) and written with its {@link SpdyFrameEncoder}. The one header block written, SYN_REPLY's empty one,
 * is compressed here: Netty's encoder writes an empty block as no bytes at all, where Go's reader needs the zlib
 * stream with a zero count ({@code WrongCompressedPayloadSize} otherwise); it is compressed without the preset
 * dictionary, which a zlib reader accepts (no FDICT flag). Confined to one event loop (the transport's).
 */
final class SpdyConnection {
    /** A stream the peer opened; its headers' names are lower case, as SPDY carries them. */
    interface StreamHandler {
        /** Null accepts the stream (empty SYN_REPLY); a reason refuses it (RST_STREAM, as newSpdyStream does). */
        String opened(Stream stream);

        /** An accepted stream, after its reply is written: what is written to it now follows the reply. */
        void accepted(Stream stream);
    }

    /** spdy.Cancel: the status of spdystream's Stream.Reset. */
    private static final int CANCEL = 5;

    private final Consumer<Buffer> transport;
    private final Runnable closeTransport;
    private final StreamHandler handler;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    private final SpdyFrameEncoder encoder = new SpdyFrameEncoder(SpdyVersion.SPDY_3_1);
    private final Deflater headerCompressor = new Deflater();
    private final Map<Integer, Stream> streams = new HashMap<>();
    private boolean closed;

    /**
     * @param transport writes bytes to the peer
     * @param closeTransport closes the transport (a GOAWAY, or a frame that cannot be read)
     */
    SpdyConnection(Consumer<Buffer> transport, Runnable closeTransport, StreamHandler handler) {
        this.transport = transport;
        this.closeTransport = closeTransport;
        this.handler = handler;
    }

    /** Bytes from the peer, in order. */
    void receive(Buffer bytes) {
        if (closed) {
            return;
        }
        try {
            decoder.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
        } catch (RuntimeException unreadable) {
            // a frame the codec cannot read: spdystream ends the connection
            closeTransport.run();
            closed();
            return;
        }
        Object frame;
        while ((frame = decoder.readInbound()) != null) {
            try {
                handle(frame);
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }
        // what the codec answers by itself (RST_STREAM or GOAWAY for a frame it cannot read)
        ByteBuf out;
        while ((out = decoder.readOutbound()) != null) {
            send(out);
        }
    }

    /** The transport went away: every stream's reader sees its end. */
    void closed() {
        if (closed) {
            return;
        }
        closed = true;
        headerCompressor.end();
        try {
            decoder.finishAndReleaseAll();
        } catch (RuntimeException partialFrame) {
            // the peer went away in the middle of a frame: nothing more to read
        }
        for (Stream s : Map.copyOf(streams).values()) {
            s.remoteEnded();
        }
        streams.clear();
    }

    private void handle(Object frame) {
        if (frame instanceof SpdySynStreamFrame syn) {
            Map<String, String> headers = new HashMap<>();
            syn.headers()
                    .names()
                    .forEach(n -> headers.put(
                            n.toString().toLowerCase(Locale.ROOT),
                            String.valueOf(syn.headers().get(n))));
            Stream stream = new Stream(syn.streamId(), Map.copyOf(headers));
            streams.put(stream.id, stream);
            String refused = handler.opened(stream);
            if (refused != null) {
                stream.reset();
                return;
            }
            reply(stream.id);
            handler.accepted(stream);
            if (syn.isLast()) {
                stream.remoteEnded();
            }
        } else if (frame instanceof SpdyDataFrame data) {
            Stream stream = streams.get(data.streamId());
            if (stream == null) {
                return;
            }
            if (data.content().isReadable()) {
                byte[] bytes = new byte[data.content().readableBytes()];
                data.content().readBytes(bytes);
                stream.received(Buffer.buffer(bytes));
            }
            if (data.isLast()) {
                stream.remoteEnded();
            }
        } else if (frame instanceof SpdyRstStreamFrame rst) {
            Stream stream = streams.remove(rst.streamId());
            if (stream != null) {
                stream.localEnded = true;
                stream.remoteEnded();
            }
        } else if (frame instanceof SpdyPingFrame ping) {
            // the peer's pings are odd (a client's), ours would be even: echo theirs
            if ((ping.id() & 1) == 1) {
                send(encoder.encodePingFrame(ByteBufAllocator.DEFAULT, ping.id()));
            }
        } else if (frame instanceof SpdyGoAwayFrame) {
            closeTransport.run();
        }
        // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do without flow control
    }

    private void reply(int streamId) {
        // numHeaders = 0, in a zlib stream shared by all header blocks of this direction (SYNC_FLUSH)
        headerCompressor.setInput(new byte[4]);
        byte[] buffer = new byte[64];
        int n = headerCompressor.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        ByteBuf block = Unpooled.wrappedBuffer(buffer, 0, n);
        send(encoder.encodeSynReplyFrame(ByteBufAllocator.DEFAULT, streamId, false, block));
        block.release();
    }

    private void send(ByteBuf frame) {
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            if (!closed) {
                transport.accept(Buffer.buffer(bytes));
            }
        } finally {
            frame.release();
        }
    }

    /** One stream the peer opened. */
    final class Stream {
        final int id;
        private final Map<String, String> headers;
        private Consumer<Buffer> onData = b -> {};
        private Runnable onEnd = () -> {};
        private final List<Buffer> early = new ArrayList<>();
        private boolean remoteEnded;
        private boolean localEnded;
        private boolean ready;

        Stream(int id, Map<String, String> headers) {
            this.id = id;
            this.headers = headers;
        }

        /** A header's value ({@code http.Header.Get}: the first), or null. Names in lower case. */
        String header(String name) {
            return headers.get(name);
        }

        /**
         * What the peer sends, then its end (FIN, a reset, or the connection closing). Data that came before is
         * passed on at once.
         */
        void onData(Consumer<Buffer> data, Runnable end) {
            this.onData = data;
            this.onEnd = end;
            ready = true;
            early.forEach(data);
            early.clear();
            if (remoteEnded) {
                end.run();
            }
        }

        void write(Buffer data) {
            if (!localEnded && !closed && data.length() > 0) {
                send(encoder.encodeDataFrame(
                        ByteBufAllocator.DEFAULT, id, false, Unpooled.wrappedBuffer(data.getBytes())));
            }
        }

        /** Stream.Close: an empty DATA frame with FIN, our half closed. */
        void close() {
            if (!localEnded && !closed) {
                localEnded = true;
                send(encoder.encodeDataFrame(ByteBufAllocator.DEFAULT, id, true, Unpooled.EMPTY_BUFFER));
                if (remoteEnded) {
                    streams.remove(id);
                }
            }
        }

        /** Stream.Reset: RST_STREAM CANCEL, both halves closed. */
        void reset() {
            boolean wasOpen = streams.remove(id) != null;
            if (wasOpen && !closed) {
                send(encoder.encodeRstStreamFrame(ByteBufAllocator.DEFAULT, id, CANCEL));
            }
            localEnded = true;
            remoteEnded = true;
        }

        private void received(Buffer data) {
            if (remoteEnded) {
                return;
            }
            if (ready) {
                onData.accept(data);
            } else {
                early.add(data);
            }
        }

        private void remoteEnded() {
            if (remoteEnded) {
                return;
            }
            remoteEnded = true;
            if (localEnded) {
                streams.remove(id);
            }
            if (ready) {
                onEnd.run();
            }
        }
    }
}
