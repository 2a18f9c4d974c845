package io.kubetwin.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in kinds beyond the security surface over TLS: the reference's 422 for objects missing
 * required fields (recorded Status bodies, causes included, nothing stored), the defaults and zero status
 * the reference writes, the scale subresource, and the kubernetes Service.
 */
class BuiltInKindsApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> b.serviceClusterIpRange("10.96.0.0/12"))
            .build();

    static List<JsonNode> invalidObjects() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in =
                BuiltInKindsApiTest.class.getClassLoader().getResourceAsStream("golden/builtin/invalid-objects.json")) {
            JSON.readTree(in).forEach(out::add);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidObjects")
    void refusesWhatTheReferenceRefusesWithItsStatus(JsonNode c) throws Exception {
        ApiClient admin = cluster.admin();
        ApiClient.Response r =
                admin.post(c.path("path").asText(), c.path("body").toString());
        assertEquals(422, r.code(), r.body());
        assertEquals(c.path("status"), r.json());
        assertEquals(404, admin.get(c.path("path").asText() + "/bad").code(), "nothing is stored");
    }

    @Test
    void deploymentGetsTheReferenceDefaultsAndScales() throws Exception {
        ApiClient admin = cluster.admin();
        String deployment = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
                + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":"
                + "{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx\"}]}}}}";
        ApiClient.Response created = admin.post("/apis/apps/v1/namespaces/default/deployments", deployment);
        assertEquals(201, created.code(), created.body());
        JsonNode d = created.json();
        assertEquals(1, d.path("metadata").path("generation").asInt());
        assertEquals(
                JSON.readTree("{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":"
                        + "{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\","
                        + "\"image\":\"nginx\",\"resources\":{},\"terminationMessagePath\":\"/dev/termination-log\","
                        + "\"terminationMessagePolicy\":\"File\",\"imagePullPolicy\":\"Always\"}],\"restartPolicy\":"
                        + "\"Always\",\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\","
                        + "\"securityContext\":{},\"schedulerName\":\"default-scheduler\"}},\"strategy\":{\"type\":"
                        + "\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\",\"maxSurge\":\"25%\"}},"
                        + "\"revisionHistoryLimit\":10,\"progressDeadlineSeconds\":600}"),
                d.path("spec"));
        assertEquals("{}", d.path("status").toString());

        ApiClient.Response scaled = admin.patch(
                "/apis/apps/v1/namespaces/default/deployments/web/scale",
                "{\"spec\":{\"replicas\":3}}",
                "application/merge-patch+json");
        assertEquals(200, scaled.code(), scaled.body());
        assertEquals("Scale", scaled.json().path("kind").asText());
        assertEquals(3, scaled.json().path("spec").path("replicas").asInt());
        assertEquals("app=web", scaled.json().path("status").path("selector").asText());
        JsonNode after =
                admin.get("/apis/apps/v1/namespaces/default/deployments/web").json();
        assertEquals(3, after.path("spec").path("replicas").asInt());
        assertEquals(2, after.path("metadata").path("generation").asInt());
    }

    @Test
    void theKubernetesServiceExistsAtStartUp() {
        JsonNode svc = cluster.admin()
                .get("/api/v1/namespaces/default/services/kubernetes")
                .json();
        assertEquals("10.96.0.1", svc.path("spec").path("clusterIP").asText());
        assertEquals(
                "{\"component\":\"apiserver\",\"provider\":\"kubernetes\"}",
                svc.path("metadata").path("labels").toString());
        JsonNode port = svc.path("spec").path("ports").get(0);
        assertEquals("https", port.path("name").asText());
        assertEquals(443, port.path("port").asInt());
        assertEquals(cluster.server().port(), port.path("targetPort").asInt());
        assertEquals("{\"loadBalancer\":{}}", svc.path("status").toString());
    }

    @Test
    void servicesGetClusterIpsFromTheRangeAndNodePorts() {
        ApiClient.Response r = cluster.admin()
                .post(
                        "/api/v1/namespaces/default/services",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"np\"},\"spec\":"
                                + "{\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"targetPort\":8080}]}}");
        assertEquals(201, r.code(), r.body());
        JsonNode spec = r.json().path("spec");
        assertEquals(true, spec.path("clusterIP").asText().startsWith("10."), spec.toString());
        int nodePort = spec.path("ports").get(0).path("nodePort").asInt();
        assertEquals(true, nodePort >= 30000 && nodePort <= 32767, spec.toString());
        assertEquals("Cluster", spec.path("externalTrafficPolicy").asText());
        assertEquals("[\"IPv4\"]", spec.path("ipFamilies").toString());
    }

    @Test
    void immutableFieldsAnswerAsTheReference() {
        ApiClient admin = cluster.admin();
        assertEquals(
                201,
                admin.post(
                                "/apis/apps/v1/namespaces/default/deployments",
                                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"imm\"},"
                                        + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"imm\"}},\"template\":"
                                        + "{\"metadata\":{\"labels\":{\"app\":\"imm\"}},\"spec\":{\"containers\":"
                                        + "[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}")
                        .code());
        ApiClient.Response selector = admin.patch(
                "/apis/apps/v1/namespaces/default/deployments/imm",
                "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"x\"}},\"template\":{\"metadata\":"
                        + "{\"labels\":{\"app\":\"x\"}}}}}",
                "application/merge-patch+json");
        assertEquals(422, selector.code());
        assertEquals(
                "Deployment.apps \"imm\" is invalid: spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"x\"}}:"
                        + " field is immutable",
                selector.json().path("message").asText());

        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces/default/services",
                                "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"immsvc\"},"
                                        + "\"spec\":{\"ports\":[{\"port\":80}]}}")
                        .code());
        ApiClient.Response ip = admin.patch(
                "/api/v1/namespaces/default/services/immsvc",
                "{\"spec\":{\"clusterIP\":\"10.96.5.5\"}}",
                "application/merge-patch+json");
        assertEquals(422, ip.code());
        assertEquals(
                "Service \"immsvc\" is invalid: spec.clusterIPs[0]: Invalid value: [\"10.96.5.5\"]: may not change once set",
                ip.json().path("message").asText());
    }

    static List<JsonNode> objects() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in =
                BuiltInKindsApiTest.class.getClassLoader().getResourceAsStream("golden/builtin/objects.json")) {
            JSON.readTree(in).forEach(out::add);
        }
        return out;
    }

    /** A get-then-update round trip leaves any object unchanged: same resourceVersion, same generation. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("objects")
    void getThenUpdateChangesNothing(JsonNode c) {
        ApiClient admin = cluster.admin();
        String path = c.path("path").asText();
        ApiClient.Response created = admin.post(path, c.path("body").toString());
        assertEquals(201, created.code(), created.body());
        String name = c.path("body").path("metadata").path("name").asText();
        // the workload controllers write the status of what they manage: read once they have
        JsonNode read = TestApiServer.eventually(
                        () -> admin.get(path + "/" + name),
                        r -> !path.matches(".*/(replicationcontrollers|replicasets|deployments|daemonsets)$")
                                || r.json().at("/status/observedGeneration").asLong()
                                                == r.json()
                                                        .at("/metadata/generation")
                                                        .asLong()
                                        && (r.json().at("/status/replicas").asInt()
                                                        == r.json()
                                                                .at("/spec/replicas")
                                                                .asInt()
                                                || r.json()
                                                        .at("/status/conditions/0/type")
                                                        .asText()
                                                        .equals("ReplicaFailure")))
                .json();
        ApiClient.Response updated = admin.put(path + "/" + name, read.toString());
        assertEquals(200, updated.code(), updated.body());
        assertEquals(read, updated.json());
        assertEquals(read, admin.get(path + "/" + name).json());
    }

    /** autoscaling/v1 over the v2 storage, as the reference answered the same requests. */
    @Test
    void autoscalingV1ConvertsToAndFromV2() throws Exception {
        ApiClient admin = cluster.admin();
        String v1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
        String v2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
        ApiClient.Response created = admin.post(
                v1,
                "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"HorizontalPodAutoscaler\",\"metadata\":{\"name\":\"h1\"},"
                        + "\"spec\":{\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"web\"},"
                        + "\"maxReplicas\":3,\"targetCPUUtilizationPercentage\":50}}");
        assertEquals(201, created.code(), created.body());
        assertEquals(
                "{\"scaleTargetRef\":{\"kind\":\"Deployment\",\"name\":\"web\",\"apiVersion\":\"apps/v1\"},\"minReplicas\":1,"
                        + "\"maxReplicas\":3,\"targetCPUUtilizationPercentage\":50}",
                created.json().path("spec").toString());
        assertEquals(
                "{\"currentReplicas\":0,\"desiredReplicas\":0}",
                created.json().path("status").toString());
        JsonNode asV2 = admin.get(v2 + "/h1").json();
        assertEquals(
                "{\"scaleTargetRef\":{\"kind\":\"Deployment\",\"name\":\"web\",\"apiVersion\":\"apps/v1\"},\"minReplicas\":1,"
                        + "\"maxReplicas\":3,\"metrics\":[{\"type\":\"Resource\",\"resource\":{\"name\":\"cpu\",\"target\":"
                        + "{\"type\":\"Utilization\",\"averageUtilization\":50}}}]}",
                asV2.path("spec").toString());
        assertEquals(
                "{\"desiredReplicas\":0,\"currentMetrics\":null}",
                asV2.path("status").toString());

        ApiClient.Response v2Created = admin.post(
                v2,
                "{\"apiVersion\":\"autoscaling/v2\",\"kind\":\"HorizontalPodAutoscaler\",\"metadata\":{\"name\":\"h2\"},"
                        + "\"spec\":{\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"web\"},"
                        + "\"maxReplicas\":3}}");
        assertEquals(201, v2Created.code(), v2Created.body());
        assertEquals(
                80,
                admin.get(v1 + "/h2")
                        .json()
                        .path("spec")
                        .path("targetCPUUtilizationPercentage")
                        .asInt());
    }
}
