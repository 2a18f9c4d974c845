package io.kubetwin.kubelet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.client.Kubectl;
import io.kubetwin.kubelet.pods.Pod;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl's {@code port-forward} through the fake apiserver to a fake kubelet, over TLS both ways
 * ({@link KubeletCluster}): kubectl v1.32 tunnels SPDY/3.1 in a WebSocket ({@code SPDY/3.1+portforward.k8s.io}),
 * opens an error and a data stream per local connection, and the fake kubelet's simulated port answers: an HTTP
 * response for a port the pod declares, an echo for other bytes, and containerd's refused-connection error on the
 * error stream for a port nothing listens on (kubectl then reports it and gives up, {@code lost connection to
 * pod}). The audit events are those of a switched connection (verb get, code 101), as for exec.
 */
class PortForwardThroughKubeletTest {
    private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (\\d+)");

    @TempDir
    static Path dir;

    static KubectlCluster fixture;
    static KubeletCluster cluster;
    static Kubectl kubectl;
    static Path admin;

    @BeforeAll
    static void start() throws Exception {
        fixture = KubectlCluster.start(dir, "portforward");
        cluster = fixture.cluster;
        kubectl = fixture.kubectl;
        admin = fixture.admin;
        cluster.pod("web-1", "node-7", 80, 8080);
        cluster.awaitOnKubelet("web-1");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @BeforeEach
    void needsKubectl() {
        fixture.assumeKubectl();
    }

    /** A running {@code kubectl port-forward} and the local port it listens on. */
    private record Forward(Process process, int localPort, BufferedReader stdout) implements AutoCloseable {
        static Forward start(String... args) throws Exception {
            return start(Map.of(), args);
        }

        static Forward start(Map<String, String> environment, String... args) throws Exception {
            Process p = kubectl.start(admin, environment, args);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (IOException e) {
                            return null;
                        }
                    })
                    .get(2, TimeUnit.MINUTES);
            Matcher m = line == null ? null : FORWARDING.matcher(line);
            if (m == null || !m.matches()) {
                p.waitFor(1, TimeUnit.MINUTES);
                String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                p.destroy();
                throw new AssertionError("kubectl port-forward printed " + line + "; stderr: " + stderr);
            }
            return new Forward(p, Integer.parseInt(m.group(1)), out);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    private static String exchange(int port, String request, boolean halfClose) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aDeclaredPortAnswersHttp() throws Exception {
        try (Forward f = Forward.start("port-forward", "pod/web-1", ":80")) {
            String body = "kubetwin fake pod default/web-1: container web, port 80\n";
            String expected = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" + body;
            assertEquals(expected, exchange(f.localPort(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", false));
            // a second connection on the same forward gets a new pair of streams
            assertEquals(expected, exchange(f.localPort(), "GET /again HTTP/1.1\r\nHost: localhost\r\n\r\n", false));
        }
    }

    /**
     * Without the WebSocket tunnel kubectl POSTs a SPDY upgrade, which the fake apiserver does not switch (Vert.x
     * hands over the connection of a GET upgrade only): 501, and kubectl gives up.
     */
    @Test
    void aPlainSpdyUpgradeIsNotImplemented() {
        Kubectl.Result r = kubectl.run(
                admin,
                List.of("port-forward", "web-1", ":8080"),
                null,
                Map.of("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false"));
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(
                "error: error upgrading connection: the fake apiserver streams pods/portForward over WebSocket only"
                        + " (kubectl's default since v1.31), not SPDY/3.1\n",
                r.stderr());
    }

    @Test
    void otherBytesAreEchoed() throws Exception {
        try (Forward f = Forward.start("port-forward", "web-1", ":8080")) {
            assertEquals("hello over spdy\n", exchange(f.localPort(), "hello over spdy\n", true));
        }
    }

    @Test
    void aPortNothingListensOnIsTheRuntimesRefusal() throws Exception {
        Pod pod = cluster.node.pods().pod("default", "web-1").orElseThrow();
        String sandbox = pod.sandboxId();
        Forward f = Forward.start("port-forward", "pod/web-1", ":81");
        try {
            assertEquals("", exchange(f.localPort(), "GET / HTTP/1.1\r\n\r\n", false));
            // kubectl gives up on the whole forward after an error on the error stream
            assertTrue(f.process().waitFor(2, TimeUnit.MINUTES));
            assertEquals(1, f.process().exitValue());
            // klog quotes the error as a structured value: its inner quotes come out escaped
            String stderr = new String(f.process().getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\\\"", "\"");
            String message =
                    "an error occurred forwarding " + f.localPort() + " -> 81: error forwarding port 81 to pod "
                            + sandbox + ", uid : failed to execute portforward in network namespace \"/var/run/netns/"
                            + "cni-" + Pod.sha256("netns/" + pod.uid()).substring(0, 8) + "-";
            assertTrue(stderr.contains(message), stderr);
            assertTrue(
                    stderr.contains("failed to connect to localhost:81 inside namespace \"" + sandbox
                            + "\", IPv4: dial tcp4 127.0.0.1:81: connect: connection refused IPv6 dial tcp6 [::1]:81:"
                            + " connect: connection refused "),
                    stderr);
            assertTrue(stderr.endsWith("error: lost connection to pod\n"), stderr);
        } finally {
            f.close();
        }
    }

    /** kubectl reads the pod first and forwards only to a Running one: the apiserver is not asked to connect. */
    @Test
    void aPendingPodIsRefusedByKubectl() {
        cluster.pod("unscheduled", null, 80);
        Kubectl.Result r = kubectl.run(admin, List.of("port-forward", "pod/unscheduled", ":80"), null);
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("error: unable to forward port because pod is not running. Current status=Pending\n", r.stderr());
    }

    @Test
    void auditRecordsTheSwitchAs101() throws Exception {
        try (Forward f = Forward.start("port-forward", "pod/web-1", ":80")) {
            exchange(f.localPort(), "GET / HTTP/1.1\r\n\r\n", false);
        }
        List<JsonNode> events = auditEvents("get");
        JsonNode first = events.get(0);
        assertEquals("RequestReceived", first.path("stage").asText());
        assertEquals("get", first.path("verb").asText());
        assertEquals(
                "/api/v1/namespaces/default/pods/web-1/portforward",
                first.path("requestURI").asText());
        JsonNode complete = events.stream()
                .filter(e -> e.path("stage").asText().equals("ResponseComplete"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                "{\"metadata\":{},\"code\":101}",
                complete.path("responseStatus").toString());
    }

    /** The audit events of web-1's port forwards with this verb. */
    private static List<JsonNode> auditEvents(String verb) throws Exception {
        return fixture.auditEvents(
                e -> e.path("objectRef").path("subresource").asText().equals("portforward")
                        && e.path("objectRef").path("name").asText().equals("web-1")
                        && e.path("verb").asText().equals(verb));
    }
}
