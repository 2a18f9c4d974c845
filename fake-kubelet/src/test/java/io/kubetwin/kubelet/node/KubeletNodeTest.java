package io.kubetwin.kubelet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.server.KubeletServer;
import io.kubetwin.kubelet.server.ServingCertificate;
import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.Kubeconfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fake kubelet joins a fake apiserver that runs Node,RBAC and NodeRestriction, with a client certificate
 * {@code system:node:node-1} / {@code system:nodes} from the cluster CA: its Node is registered and Ready, and a
 * pod bound to it shows on its {@code /pods}, a pod bound elsewhere does not.
 */
class KubeletNodeTest {
    static FakeApiServer apiserver;
    static ApiClient admin;
    static Vertx vertx;

    @BeforeAll
    static void cluster() {
        apiserver = FakeApiServer.startBlocking(ApiServerConfig.builder()
                .authorizationModes(List.of("Node", "RBAC"))
                .enableAdmissionPlugins(List.of("NodeRestriction"))
                .build());
        admin = ApiClient.of(Kubeconfig.parse(apiserver.adminKubeconfig()));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
        apiserver.close();
    }

    static ApiClient nodeIdentity(String node) {
        return ApiClient.of(Kubeconfig.parse(apiserver.kubeconfigFor("system:node:" + node, "system:nodes")));
    }

    static void pod(String name, String node) {
        ApiClient.Response r = admin.post("/api/v1/namespaces/default/pods", """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{"nodeName":"%s","automountServiceAccountToken":false,
                         "containers":[{"name":"web","image":"nginx:1.27"}]}}""".formatted(name, node));
        assertEquals(201, r.code(), r.body());
    }

    @Test
    void theNodeRegistersReadyAndServesThePodsBoundToIt() throws Exception {
        pod("before", "node-1");
        KubeletNode node = KubeletNode.start(nodeIdentity("node-1"), "node-1", "127.0.0.1", Clock.systemUTC());
        KubeletServer kubelet = KubeletServer.start(
                        vertx,
                        KubeletConfig.flagDefaults()
                                .address("127.0.0.1")
                                .port(0)
                                .readOnlyPort(0)
                                .hostnameOverride("node-1")
                                .build(),
                        new KubeletServer.Dependencies(
                                node.pods(),
                                null,
                                null,
                                ServingCertificate.issuedBy(apiserver.clusterCa(), "node-1", List.of("127.0.0.1")),
                                Clock.systemUTC()))
                .await();
        try {
            JsonNode registered = admin.get("/api/v1/nodes/node-1").json();
            assertEquals(
                    "node-1",
                    registered
                            .path("metadata")
                            .path("labels")
                            .path("kubernetes.io/hostname")
                            .asText());
            JsonNode ready = registered.path("status").path("conditions").get(3);
            assertEquals("Ready", ready.path("type").asText());
            assertEquals("True", ready.path("status").asText());
            assertEquals("KubeletReady", ready.path("reason").asText());

            assertTrue(podsOnKubelet(kubelet).contains("\"name\":\"before\""), "listed at start");
            pod("after", "node-1");
            pod("elsewhere", "node-2");
            String pods = waitForPod(kubelet, "after");
            assertTrue(pods.contains("\"name\":\"after\",\"namespace\":\"default\""), pods);
            assertFalse(pods.contains("elsewhere"), pods);
            assertEquals(
                    200, admin.delete("/api/v1/namespaces/default/pods/before").code());
            assertTrue(waitForGone(kubelet, "before"), "a deleted pod leaves the node");
        } finally {
            node.stop();
            kubelet.close().await();
        }
    }

    @Test
    void anIdentityThatIsNotThisNodeCannotRegisterIt() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> KubeletNode.start(nodeIdentity("node-9"), "node-3", null, Clock.systemUTC()));
        assertEquals(
                "Unable to register node with API server: 403 nodes \"node-3\" is forbidden: "
                        + "node \"node-9\" is not allowed to modify node \"node-3\"",
                e.getMessage());
    }

    static String podsOnKubelet(KubeletServer kubelet) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(
                        KeyStores.clientContext(List.of(apiserver.clusterCa().certificate()), null))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        return http.send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + kubelet.port() + "/pods"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** The watch delivers asynchronously: ask again until the pod shows (bounded, never timed). */
    static String waitForPod(KubeletServer kubelet, String name) throws Exception {
        String pods = "";
        for (int i = 0; i < 200 && !pods.contains("\"name\":\"" + name + "\""); i++) {
            pods = podsOnKubelet(kubelet);
            Thread.sleep(50);
        }
        return pods;
    }

    static boolean waitForGone(KubeletServer kubelet, String name) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (!podsOnKubelet(kubelet).contains("\"name\":\"" + name + "\"")) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
