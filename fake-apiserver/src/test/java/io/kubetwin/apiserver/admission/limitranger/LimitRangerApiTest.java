package io.kubetwin.apiserver.admission.limitranger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LimitRanger over TLS, with the answers kube-apiserver v1.34.4 gave for the same LimitRange and objects
 * (recorded with ci/reference/run-reference.sh and kubectl --dry-run=server).
 */
class LimitRangerApiTest {
    private static final String NS = "lr";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    @BeforeAll
    static void seed() {
        ApiClient admin = cluster.admin();
        assertEquals(
                201,
                admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NS + "\"}}")
                        .code());
        ApiClient.Response lr = admin.post("/api/v1/namespaces/" + NS + "/limitranges", """
                {"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"lr"},"spec":{"limits":[
                 {"type":"Container","max":{"cpu":"500m","memory":"1Gi"},"min":{"cpu":"0.05"},
                  "default":{"cpu":"200m","memory":"256Mi"},"defaultRequest":{"cpu":"100m"},
                  "maxLimitRequestRatio":{"cpu":"4"}},
                 {"type":"Pod","max":{"cpu":"2"}},
                 {"type":"PersistentVolumeClaim","max":{"storage":"2Gi"},"min":{"storage":"1Gi"}}]}}""");
        assertEquals(201, lr.code(), lr.body());
    }

    @Test
    void defaultsRequestsAndLimitsAndSaysSoInAnAnnotation() {
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces/" + NS + "/pods?dryRun=All",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p1\"},"
                        + "\"spec\":{\"containers\":[{\"name\":\"p1\",\"image\":\"nginx\"}]}}");
        assertEquals(201, r.code(), r.body());
        assertEquals(
                "LimitRanger plugin set: cpu, memory request for container p1; cpu, memory limit for container p1",
                r.json().at("/metadata/annotations/kubernetes.io~1limit-ranger").asText());
        assertEquals(
                "{\"limits\":{\"cpu\":\"200m\",\"memory\":\"256Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"256Mi\"}}",
                r.json().at("/spec/containers/0/resources").toString());
    }

    @Test
    void refusesALimitAboveTheContainerMaximum() {
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces/" + NS + "/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p2\"},\"spec\":{\"containers\":"
                        + "[{\"name\":\"p2\",\"image\":\"nginx\",\"resources\":{\"limits\":{\"cpu\":\"1\"}}}]}}");
        assertEquals(403, r.code());
        assertEquals("Forbidden", r.json().path("reason").asText());
        assertEquals(
                "pods \"p2\" is forbidden: maximum cpu usage per Container is 500m, but limit is 1",
                r.json().path("message").asText());
        assertEquals(404, admin.get("/api/v1/namespaces/" + NS + "/pods/p2").code());
    }

    @Test
    void listsEveryViolationOfEveryContainerThenInitContainer() {
        ApiClient.Response r = admin.post("/api/v1/namespaces/" + NS + "/pods", """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p3"},"spec":{
                 "initContainers":[{"name":"i","image":"busybox","resources":{"requests":{"cpu":"10m"},
                   "limits":{"cpu":"1000m","memory":"2Gi"}}}],
                 "containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"10m","memory":"1"},
                   "limits":{"cpu":"0.9"}}}]}}""");
        assertEquals(403, r.code());
        assertEquals(
                "pods \"p3\" is forbidden: [minimum cpu usage per Container is 50m, but request is 10m, "
                        + "maximum cpu usage per Container is 500m, but limit is 900m, "
                        + "cpu max limit to request ratio per Container is 4, but provided ratio is 90.000000, "
                        + "maximum cpu usage per Container is 500m, but limit is 1, "
                        + "maximum memory usage per Container is 1Gi, but limit is 2Gi, "
                        + "cpu max limit to request ratio per Container is 4, but provided ratio is 100.000000]",
                r.json().path("message").asText());
    }

    @Test
    void boundsTheStorageAClaimRequests() {
        String claim = "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"c1\"},"
                + "\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"%s\"}}}}";
        ApiClient.Response big =
                admin.post("/api/v1/namespaces/" + NS + "/persistentvolumeclaims", claim.formatted("5Gi"));
        assertEquals(403, big.code());
        assertEquals(
                "persistentvolumeclaims \"c1\" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, "
                        + "but request is 5Gi",
                big.json().path("message").asText());
        ApiClient.Response small =
                admin.post("/api/v1/namespaces/" + NS + "/persistentvolumeclaims", claim.formatted("500Mi"));
        assertEquals(
                "persistentvolumeclaims \"c1\" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, "
                        + "but request is 500Mi",
                small.json().path("message").asText());
        assertEquals(
                201,
                admin.post("/api/v1/namespaces/" + NS + "/persistentvolumeclaims?dryRun=All", claim.formatted("1Gi"))
                        .code());
    }
}
