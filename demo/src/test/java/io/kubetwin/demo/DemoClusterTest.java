package io.kubetwin.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo cluster in process, on an ephemeral port with its directory in a temp dir: its node registers Ready, a
 * pod bound to it goes Running and its log comes from the kubelet through the apiserver (the kubelet client
 * identity and CA wired), and a restart with the same directory finds the same node, once, and the pod.
 */
class DemoClusterTest {
    private static final String NODE = "kubetwin-node-1";
    private static final String POD = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},"
            + "\"spec\":{\"nodeName\":\"" + NODE + "\",\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\"}]}}";
    private static final String LOG = "kubetwin fake container default/web/web started\n"
            + "image nginx:1.27: nothing runs on a fake node\n"
            + "ready\n";

    @TempDir
    Path dir;

    private List<String> flags() {
        return List.of("--cert-dir=" + dir, "--data-dir=" + dir.resolve("data"), "--secure-port=0");
    }

    @Test
    void nodeReadyPodRunningAndBackAfterRestart() throws Exception {
        try (DemoCluster cluster = DemoCluster.start(flags(), 1)) {
            ApiClient admin = admin(cluster);
            assertEquals(List.of(NODE), nodeNames(admin));
            assertEquals("True", readyCondition(admin));
            assertEquals(201, admin.post("/api/v1/namespaces/default/pods", POD).code());
            assertEquals("Running", awaitPhase(admin, "Running"));
            ApiClient.Response log = admin.get("/api/v1/namespaces/default/pods/web/log");
            assertEquals(200, log.code(), log.body());
            assertEquals(LOG, log.body());
        }
        try (DemoCluster cluster = DemoCluster.start(flags(), 1)) {
            ApiClient admin = admin(cluster);
            assertEquals(List.of(NODE), nodeNames(admin));
            assertEquals("True", readyCondition(admin));
            JsonNode pod = admin.get("/api/v1/namespaces/default/pods/web").json();
            assertEquals("Running", pod.path("status").path("phase").asText());
            assertEquals(NODE, pod.path("spec").path("nodeName").asText());
            // the kubelet listens on a new port: the Node's status tells the apiserver where
            ApiClient.Response log = admin.get("/api/v1/namespaces/default/pods/web/log");
            assertEquals(200, log.code(), log.body());
            assertEquals(LOG, log.body());
        }
        assertEquals(
                List.of("apiserver-kubelet-client.crt", "apiserver-kubelet-client.key"),
                files(dir, "apiserver-kubelet-client"));
        assertEquals(
                List.of(
                        "ca.crt",
                        "config.yaml",
                        "kubeconfig",
                        "kubelet-client.crt",
                        "kubelet-client.key",
                        "serving.crt",
                        "serving.key"),
                files(dir.resolve("kubelet-" + NODE), ""));
    }

    @Test
    void anExposedRunningPodIsInItsServicesEndpoints() throws Exception {
        try (DemoCluster cluster = DemoCluster.start(flags(), 1)) {
            ApiClient admin = admin(cluster);
            assertEquals(
                    201,
                    admin.post(
                                    "/api/v1/namespaces/default/pods",
                                    POD.replace("\"name\":\"web\"}", "\"name\":\"web\",\"labels\":{\"app\":\"web\"}}")
                                            .replace(
                                                    "\"image\":\"nginx:1.27\"",
                                                    "\"image\":\"nginx:1.27\",\"ports\":[{\"containerPort\":80}]"))
                            .code());
            assertEquals("Running", awaitPhase(admin, "Running"));
            String ip = admin.get("/api/v1/namespaces/default/pods/web")
                    .json()
                    .path("status")
                    .path("podIP")
                    .asText();
            // what kubectl expose pod web --port=80 sends: the pod's labels as selector
            assertEquals(
                    201,
                    admin.post(
                                    "/api/v1/namespaces/default/services",
                                    "{\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},\"spec\":{"
                                            + "\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80,\"targetPort\":80}]}}")
                            .code());
            JsonNode endpoints = null;
            for (int i = 0;
                    i < 600 && (endpoints == null || endpoints.path("subsets").isEmpty());
                    i++) {
                ApiClient.Response r = admin.get("/api/v1/namespaces/default/endpoints/web");
                endpoints = r.code() == 200 ? r.json() : null;
                Thread.sleep(100);
            }
            assertEquals(ip, endpoints.at("/subsets/0/addresses/0/ip").asText(), String.valueOf(endpoints));
            assertEquals(NODE, endpoints.at("/subsets/0/addresses/0/nodeName").asText());
            assertEquals(80, endpoints.at("/subsets/0/ports/0/port").asInt());
        }
    }

    @Test
    void noNodes() throws Exception {
        try (DemoCluster cluster = DemoCluster.start(flags(), 0)) {
            assertEquals(List.of(), nodeNames(admin(cluster)));
            assertEquals(List.of("Node", "RBAC"), cluster.config().authorizationModes());
        }
    }

    @Test
    void nodesFlag() {
        List<String> flags = new ArrayList<>(List.of("--nodes", "3", "--secure-port=0"));
        assertEquals(3, Main.nodes(flags));
        assertEquals(List.of("--secure-port=0"), flags);
        assertEquals(0, Main.nodes(new ArrayList<>(List.of("--nodes=0"))));
        assertEquals(DemoCluster.DEFAULT_NODES, Main.nodes(new ArrayList<>()));
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> Main.nodes(new ArrayList<>(List.of("--nodes=-1"))));
        assertEquals("invalid argument \"-1\" for \"--nodes\" flag: not a count of nodes", bad.getMessage());
        assertEquals(List.of("kubetwin-node-1", "kubetwin-node-2"), DemoCluster.nodeNames(2));
    }

    private static ApiClient admin(DemoCluster cluster) {
        return ApiClient.of(Kubeconfig.parse(cluster.server().adminKubeconfig()));
    }

    private static List<String> nodeNames(ApiClient admin) {
        List<String> names = new ArrayList<>();
        admin.get("/api/v1/nodes")
                .json()
                .path("items")
                .forEach(n -> names.add(n.path("metadata").path("name").asText()));
        return names;
    }

    private static String readyCondition(ApiClient admin) {
        for (JsonNode c :
                admin.get("/api/v1/nodes/" + NODE).json().path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c.path("status").asText();
            }
        }
        return "absent";
    }

    /** Polls the pod's phase (bounded: a minute) until it is {@code want}; returns the last phase seen. */
    private static String awaitPhase(ApiClient admin, String want) throws InterruptedException {
        String phase = "";
        for (int i = 0; i < 600 && !phase.equals(want); i++) {
            phase = admin.get("/api/v1/namespaces/default/pods/web")
                    .json()
                    .path("status")
                    .path("phase")
                    .asText();
            if (!phase.equals(want)) {
                Thread.sleep(100);
            }
        }
        return phase;
    }

    private static List<String> files(Path dir, String prefix) throws Exception {
        try (var list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }
}
