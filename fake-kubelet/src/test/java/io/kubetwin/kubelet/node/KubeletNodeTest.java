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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

    static final Instant T0 = Instant.parse("2026-12-07T00:10:00.123456789Z");

    @Test
    void aPodBoundToTheNodeGoesRunningAsTheKubeletReportsIt() throws Exception {
        KubeletNode node =
                KubeletNode.start(nodeIdentity("node-4"), "node-4", "127.0.0.4", Clock.fixed(T0, ZoneOffset.UTC));
        try {
            pod("runs", "node-4");
            JsonNode pod = admin.get("/api/v1/namespaces/default/pods/runs").json();
            for (int i = 0;
                    i < 200
                            && !"Running"
                                    .equals(pod.path("status").path("phase").asText());
                    i++) {
                Thread.sleep(50);
                pod = admin.get("/api/v1/namespaces/default/pods/runs").json();
            }
            JsonNode status = pod.path("status");
            assertEquals("Running", status.path("phase").asText(), status.toString());
            assertEquals("127.0.0.4", status.path("hostIP").asText());
            assertEquals("[{\"ip\":\"127.0.0.4\"}]", status.path("hostIPs").toString());
            assertEquals("10.244.0.2", status.path("podIP").asText());
            assertEquals("[{\"ip\":\"10.244.0.2\"}]", status.path("podIPs").toString());
            assertEquals("2026-12-07T00:10:00Z", status.path("startTime").asText());
            assertEquals(1, status.path("observedGeneration").asInt());
            List<String> types = new ArrayList<>();
            for (JsonNode c : status.path("conditions")) {
                types.add(c.path("type").asText());
                assertEquals("True", c.path("status").asText());
                assertEquals(
                        "2026-12-07T00:10:00Z", c.path("lastTransitionTime").asText());
            }
            assertEquals(
                    List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"),
                    types);
            JsonNode web = status.path("containerStatuses").get(0);
            assertEquals("web", web.path("name").asText());
            assertEquals(
                    "{\"running\":{\"startedAt\":\"2026-12-07T00:10:00Z\"}}",
                    web.path("state").toString());
            assertTrue(web.path("ready").asBoolean());
            assertTrue(web.path("started").asBoolean());
            assertEquals(0, web.path("restartCount").asInt());
            assertEquals("nginx:1.27", web.path("image").asText());
            assertTrue(web.path("imageID").asText().matches("nginx@sha256:[0-9a-f]{64}"), web.toString());
            assertTrue(web.path("containerID").asText().matches("fake://[0-9a-f]{64}"), web.toString());
        } finally {
            node.stop();
        }
    }

    @Test
    void theNodeLeaseIsCreatedOwnedByTheNodeThenRenewedOnTheClock() {
        ApiClient identity = nodeIdentity("node-5");
        // the Node exists (registered by the admin: KubeletNode.start would beat on its own schedule)
        assertEquals(
                201,
                admin.post("/api/v1/nodes", "{\"metadata\":{\"name\":\"node-5\"}}")
                        .code());
        SetClock clock = new SetClock(T0);
        NodeLease lease = new NodeLease(identity, "node-5", clock);
        String path = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-5";
        assertEquals(201, lease.renew());
        JsonNode created = admin.get(path).json();
        assertEquals(
                "{\"holderIdentity\":\"node-5\",\"leaseDurationSeconds\":40,"
                        + "\"renewTime\":\"2026-12-07T00:10:00.123456Z\"}",
                created.path("spec").toString());
        JsonNode owner = created.path("metadata").path("ownerReferences").get(0);
        assertEquals("Node", owner.path("kind").asText());
        assertEquals("node-5", owner.path("name").asText());
        assertEquals(
                admin.get("/api/v1/nodes/node-5")
                        .json()
                        .path("metadata")
                        .path("uid")
                        .asText(),
                owner.path("uid").asText());

        clock.now = T0.plus(NodeLease.RENEW_INTERVAL);
        assertEquals(200, lease.renew());
        assertEquals(
                "2026-12-07T00:10:10.123456Z",
                admin.get(path).json().path("spec").path("renewTime").asText());
        assertEquals(403, new NodeLease(nodeIdentity("node-6"), "node-5", clock).renew(), "another node's lease");
    }

    /** A clock the test sets. */
    static final class SetClock extends Clock {
        volatile Instant now;

        SetClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
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
