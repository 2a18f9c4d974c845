package io.kubetwin.apiserver.registry.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.pki.KeyStores;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch asked for as a WebSocket upgrade (fabric8's watches and informers) over TLS with a client certificate,
 * answered as kube-apiserver v1.34.4 answers it (recorded with curl): golang.org/x/net/websocket's 101 with only
 * Upgrade, Connection and Sec-WebSocket-Accept, each event as one text message
 * ending in a newline, a normal close (1000) at timeoutSeconds, the handshake's refusals as raw text, and audit's
 * code 101 for every one of them (the connection is hijacked before the handshake).
 */
class WatchOverWebSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String WATCH = "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> b.auditPolicyFile(Files.writeString(
                            dir.resolve("policy.yaml"),
                            "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n"))
                    .auditLogPath(dir.resolve("audit.log").toString()))
            .build();

    @Test
    void eventsAreTextMessagesAndTheEndIsANormalClose() throws Exception {
        assertEquals(
                201,
                cluster.admin()
                        .post(
                                "/api/v1/namespaces/default/configmaps",
                                "{\"metadata\":{\"name\":\"over-ws\"},\"data\":{\"k\":\"v\"}}")
                        .code());
        Exchange x = exchange(upgrade(WATCH, "Origin: http://example.test\r\n"));
        // the same lines as Go's, whose names are in canonical case (header names are case-insensitive)
        assertEquals(
                "http/1.1 101 switching protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
                        + "sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo=\r\n\r\n",
                x.head.toLowerCase(java.util.Locale.ROOT));
        List<Frame> frames = x.frames();
        Frame close = frames.get(frames.size() - 1);
        assertEquals(0x8, close.opcode);
        assertEquals(1000, ((close.payload[0] & 0xff) << 8) | (close.payload[1] & 0xff));
        List<String> names = new ArrayList<>();
        for (Frame f : frames.subList(0, frames.size() - 1)) {
            assertEquals(0x1, f.opcode, "text framing for JSON");
            String text = new String(f.payload, StandardCharsets.UTF_8);
            assertTrue(text.endsWith("}\n"), text);
            JsonNode event = JSON.readTree(text);
            assertEquals("ADDED", event.path("type").asText());
            names.add(event.path("object").path("metadata").path("name").asText());
        }
        assertTrue(names.contains("over-ws"), names.toString());
        assertTrue(names.contains("kube-root-ca.crt"), names.toString());
    }

    @Test
    void theHandshakesRefusalsAreGosAndAuditedAs101() throws Exception {
        assertRefused(exchange(upgrade(WATCH, "")), "HTTP/1.1 403 Forbidden", null, "");
        assertRefused(exchange(upgrade(WATCH, "Origin: ::bad\r\n")), "HTTP/1.1 403 Forbidden", null, "");
        assertRefused(
                exchange(upgrade(WATCH, "Origin: http://x\r\nSec-WebSocket-Protocol: a, b\r\n")),
                "HTTP/1.1 400 Bad Request",
                null,
                "");
        assertRefused(
                exchange(request(
                        WATCH, "Origin: http://x\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 12\r\n")),
                "HTTP/1.1 400 Bad Request",
                "Sec-WebSocket-Version: 13",
                "missing or bad WebSocket Version");
        assertRefused(
                exchange(request(WATCH, "Origin: http://x\r\nSec-WebSocket-Version: 13\r\n")),
                "HTTP/1.1 400 Bad Request",
                null,
                "mismatch challenge/response");
        List<String> codes = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("audit.log"))) {
            JsonNode e = JSON.readTree(line);
            if (e.path("requestURI").asText().equals(WATCH)
                    && !e.path("stage").asText().equals("RequestReceived")) {
                codes.add(e.path("stage").asText() + " "
                        + e.path("responseStatus").path("code").asInt());
            }
        }
        assertTrue(codes.size() >= 10, codes.toString());
        assertTrue(codes.stream().allMatch(c -> c.endsWith(" 101")), codes.toString());
    }

    /**
     * Go writes the status line, the one extra header, a blank line and the text on the raw connection; the fake's
     * answer carries Vert.x's Content-Length and Connection too (a listed divergence).
     */
    private static void assertRefused(Exchange x, String statusLine, String header, String body) {
        assertEquals(statusLine, x.head.substring(0, x.head.indexOf("\r\n")), x.all());
        if (header != null) {
            assertTrue(x.head.contains("\r\n" + header + "\r\n"), x.head);
        }
        assertEquals(body, new String(x.rest, StandardCharsets.UTF_8), x.all());
    }

    private static String upgrade(String path, String extraHeaders) {
        return request(path, "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders);
    }

    private static String request(String path, String headers) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" + headers
                + "\r\n";
    }

    /** What came back: the response head, and the rest until the server closed. */
    private record Exchange(String head, byte[] rest) {
        String all() {
            return head + new String(rest, StandardCharsets.UTF_8);
        }

        List<Frame> frames() throws IOException {
            List<Frame> frames = new ArrayList<>();
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(rest));
            while (true) {
                int b0;
                try {
                    b0 = in.readUnsignedByte();
                } catch (EOFException e) {
                    return frames;
                }
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                assertEquals(0x80, b0 & 0x80, "one frame per message");
                frames.add(new Frame(b0 & 0x0f, payload));
            }
        }
    }

    private record Frame(int opcode, byte[] payload) {}

    private static Exchange exchange(String request) throws IOException {
        var context = KeyStores.clientContext(
                List.of(cluster.server().clusterCa().certificate()),
                cluster.credential("kubernetes-admin", "system:masters"));
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket("127.0.0.1", cluster.server().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            in.transferTo(rest);
            return new Exchange(head.toString(StandardCharsets.ISO_8859_1), rest.toByteArray());
        }
    }
}
