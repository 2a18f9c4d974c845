package io.kubetwin.kubelet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.Kubeconfig;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pods/exec to a kubelet that cannot be reached, over a raw WebSocket (the JDK's client, TLS with the admin's
 * certificate), and pods/portforward's refusals: the reference kube-apiserver v1.34.4's answers, recorded from it
 * with a Node whose kubelet port is closed. A v5 client is switched first and told on the error channel, as the
 * StreamTranslator does; a v4 client gets the upgrade-aware proxy's 500.
 */
class ExecWebSocketRefusalsTest {
    @TempDir
    static Path dir;

    static KubeletCluster cluster;
    static int closed;

    @BeforeAll
    static void start() throws Exception {
        cluster = KubeletCluster.start(dir);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        ApiClient admin = cluster.admin;
        assertEquals(
                201,
                admin.post("/api/v1/nodes", "{\"metadata\":{\"name\":\"node-down\"}}")
                        .code());
        assertEquals(
                200,
                admin.patch(
                                "/api/v1/nodes/node-down/status",
                                "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                                        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + closed + "}}}}",
                                "application/merge-patch+json")
                        .code());
        cluster.pod("down", "node-down");
        cluster.pod("unscheduled", null);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Every binary message until the close, and the close code. */
    record Session(List<byte[]> messages, int closeCode) {}

    static CompletableFuture<Session> open(String path, String protocol) {
        Kubeconfig kubeconfig = Kubeconfig.parse(cluster.apiserver.adminKubeconfig());
        HttpClient http = HttpClient.newBuilder()
                .sslContext(KeyStores.clientContext(kubeconfig))
                .build();
        List<byte[]> messages = new ArrayList<>();
        CompletableFuture<Session> done = new CompletableFuture<>();
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                partial.writeBytes(bytes);
                if (last) {
                    messages.add(partial.toByteArray());
                    partial.reset();
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                done.complete(new Session(List.copyOf(messages), statusCode));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                done.completeExceptionally(error);
            }
        };
        URI uri = URI.create(kubeconfig.server().replaceFirst("^https", "wss") + path);
        http.newWebSocketBuilder()
                .subprotocols(protocol)
                .buildAsync(uri, listener)
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    }
                });
        return done;
    }

    @Test
    void v5IsSwitchedThenToldOnTheErrorChannel() throws Exception {
        Session s = open(
                        "/api/v1/namespaces/default/pods/down/exec?command=echo&command=hi&stdout=true&stderr=true",
                        "v5.channel.k8s.io")
                .get(2, TimeUnit.MINUTES);
        String url = "https://127.0.0.1:" + closed + "/exec/default/down/web?command=echo\\u0026command=hi"
                + "\\u0026error=1\\u0026output=1";
        String why = "error sending request: Post \\\"" + url + "\\\": dial tcp 127.0.0.1:" + closed
                + ": connect: connection refused";
        assertEquals(2, s.messages().size());
        assertEquals("[1]", java.util.Arrays.toString(s.messages().get(0)));
        byte[] status = s.messages().get(1);
        assertEquals(3, status[0]);
        assertEquals(
                "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error occurred: " + why
                        + "\",\"reason\":\"InternalError\",\"details\":{\"causes\":[{\"message\":\"" + why
                        + "\"}]},\"code\":500}",
                new String(status, 1, status.length - 1, StandardCharsets.UTF_8));
        assertEquals(1000, s.closeCode());
    }

    @Test
    void v4GetsTheProxysDialError() throws Exception {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class,
                () -> open("/api/v1/namespaces/default/pods/down/exec?command=echo&stdout=true", "v4.channel.k8s.io")
                        .get(2, TimeUnit.MINUTES));
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(500, refused.getResponse().statusCode());
    }

    @Test
    void portForwardRefusals() {
        ApiClient.Response r = cluster.admin.post("/api/v1/namespaces/default/pods/down/portforward?ports=abc", "");
        assertEquals(400, r.code());
        assertEquals("cannot convert to []int32: strconv.ParseUint: parsing \"abc\": invalid syntax", r.message());
        r = cluster.admin.post("/api/v1/namespaces/default/pods/unscheduled/portforward?ports=80", "");
        assertEquals(400, r.code());
        assertEquals("pod unscheduled does not have a host assigned", r.message());
        r = cluster.admin.post("/api/v1/namespaces/default/pods/down/attach?stdout=true&container=db", "");
        assertEquals(400, r.code());
        assertEquals("container db is not valid for pod down", r.message());
    }
}
