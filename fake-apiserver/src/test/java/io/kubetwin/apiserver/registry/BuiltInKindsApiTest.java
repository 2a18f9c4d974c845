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
}
