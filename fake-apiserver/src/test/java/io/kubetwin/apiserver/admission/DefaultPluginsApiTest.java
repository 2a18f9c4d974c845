package io.kubetwin.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The small default-on plugins over TLS (TaintNodesByCondition, StorageObjectInUseProtection,
 * DefaultStorageClass, PersistentVolumeClaimResize, DefaultIngressClass, RuntimeClass), with what
 * kube-apiserver v1.34.4 stored and answered for the same requests.
 */
class DefaultPluginsApiTest {
    private static final String NS = "p";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    private static void created(ApiClient.Response r) {
        assertEquals(201, r.code(), r.body());
    }

    @BeforeAll
    static void seed() {
        ApiClient admin = cluster.admin();
        created(admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NS + "\"}}"));
        created(admin.post("/apis/storage.k8s.io/v1/storageclasses", """
                {"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"std","annotations":
                 {"storageclass.kubernetes.io/is-default-class":"true"}},"provisioner":"example.com/p",
                 "allowVolumeExpansion":true}"""));
        created(admin.post("/apis/storage.k8s.io/v1/storageclasses", """
                {"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"fixed"},
                 "provisioner":"example.com/p"}"""));
        created(admin.post("/apis/networking.k8s.io/v1/ingressclasses", """
                {"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"nginx","annotations":
                 {"ingressclass.kubernetes.io/is-default-class":"true"}},"spec":{"controller":"example.com/ingress"}}"""));
        created(admin.post("/apis/node.k8s.io/v1/runtimeclasses", """
                {"apiVersion":"node.k8s.io/v1","kind":"RuntimeClass","metadata":{"name":"gvisor"},"handler":"runsc",
                 "overhead":{"podFixed":{"cpu":"250m","memory":"64Mi"}},"scheduling":{"nodeSelector":{"sandbox":"true"},
                 "tolerations":[{"key":"sandbox","operator":"Exists","effect":"NoSchedule"}]}}"""));
    }

    @Test
    void aNewNodeIsTaintedNotReady() {
        ApiClient.Response r = admin.post("/api/v1/nodes?dryRun=All", """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},
                 "spec":{"taints":[{"key":"a","value":"b","effect":"NoExecute"}]}}""");
        created(r);
        assertEquals(
                "[{\"key\":\"a\",\"value\":\"b\",\"effect\":\"NoExecute\"},"
                        + "{\"key\":\"node.kubernetes.io/not-ready\",\"effect\":\"NoSchedule\"}]",
                r.json().at("/spec/taints").toString());
    }

    @Test
    void claimsAndVolumesGetProtectionAndTheDefaultClass() {
        ApiClient.Response claim = admin.post("/api/v1/namespaces/" + NS + "/persistentvolumeclaims", """
                {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"c1"},
                 "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""");
        created(claim);
        assertEquals(
                "[\"kubernetes.io/pvc-protection\"]",
                claim.json().at("/metadata/finalizers").toString());
        assertEquals("std", claim.json().at("/spec/storageClassName").asText());
        ApiClient.Response volume = admin.post("/api/v1/persistentvolumes?dryRun=All", """
                {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv1"},"spec":{"capacity":
                 {"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/tmp/x"}}}""");
        created(volume);
        assertEquals(
                "[\"kubernetes.io/pv-protection\"]",
                volume.json().at("/metadata/finalizers").toString());
    }

    @Test
    void onlyAClassAllowingExpansionLetsABoundClaimGrow() {
        for (String[] c : new String[][] {{"grow", "std"}, {"fixed", "fixed"}}) {
            created(admin.post("/api/v1/namespaces/" + NS + "/persistentvolumeclaims", """
                    {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"%s"},"spec":{"storageClassName":
                     "%s","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""".formatted(c[0], c[1])));
            assertEquals(
                    200,
                    admin.patch(
                                    "/api/v1/namespaces/" + NS + "/persistentvolumeclaims/" + c[0] + "/status",
                                    "{\"status\":{\"phase\":\"Bound\"}}",
                                    "application/merge-patch+json")
                            .code());
        }
        String grow = "{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"2Gi\"}}}}";
        assertEquals(
                200,
                admin.patch(
                                "/api/v1/namespaces/" + NS + "/persistentvolumeclaims/grow",
                                grow,
                                "application/merge-patch+json")
                        .code());
        ApiClient.Response refused = admin.patch(
                "/api/v1/namespaces/" + NS + "/persistentvolumeclaims/fixed", grow, "application/merge-patch+json");
        assertEquals(403, refused.code());
        assertEquals(
                "persistentvolumeclaims \"fixed\" is forbidden: only dynamically provisioned pvc can be resized and "
                        + "the storageclass that provisions the pvc must support resize",
                refused.json().path("message").asText());
    }

    @Test
    void anIngressWithoutClassGetsTheDefault() {
        ApiClient.Response r = admin.post("/apis/networking.k8s.io/v1/namespaces/" + NS + "/ingresses?dryRun=All", """
                {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"i1"},
                 "spec":{"defaultBackend":{"service":{"name":"s","port":{"number":80}}}}}""");
        created(r);
        assertEquals("nginx", r.json().at("/spec/ingressClassName").asText());
    }

    private ApiClient.Response pod(String spec) {
        return admin.post(
                "/api/v1/namespaces/" + NS + "/pods?dryRun=All",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"rc\"},\"spec\":{" + spec
                        + ",\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}");
    }

    @Test
    void aRuntimeClassBringsOverheadNodeSelectorAndTolerations() {
        ApiClient.Response r = pod("\"runtimeClassName\":\"gvisor\"");
        created(r);
        assertEquals(
                "{\"cpu\":\"250m\",\"memory\":\"64Mi\"}",
                r.json().at("/spec/overhead").toString());
        assertEquals("{\"sandbox\":\"true\"}", r.json().at("/spec/nodeSelector").toString());
        assertEquals(
                "[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
                        + "\"tolerationSeconds\":300},{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
                        + "\"effect\":\"NoExecute\",\"tolerationSeconds\":300},"
                        + "{\"key\":\"sandbox\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]",
                r.json().at("/spec/tolerations").toString());
    }

    @Test
    void runtimeClassRefusals() {
        assertEquals(
                "pods \"rc\" is forbidden: pod rejected: RuntimeClass \"nosuch\" not found",
                pod("\"runtimeClassName\":\"nosuch\"").json().path("message").asText());
        assertEquals(
                "pods \"rc\" is forbidden: conflict: runtimeClass.scheduling.nodeSelector[sandbox] = true; "
                        + "pod.spec.nodeSelector[sandbox] = false",
                pod("\"runtimeClassName\":\"gvisor\",\"nodeSelector\":{\"sandbox\":\"false\"}")
                        .json()
                        .path("message")
                        .asText());
        assertEquals(
                "pods \"rc\" is forbidden: pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead",
                pod("\"runtimeClassName\":\"gvisor\",\"overhead\":{\"cpu\":\"1\"}")
                        .json()
                        .path("message")
                        .asText());
        ApiClient.Response noClass = pod("\"overhead\":{\"cpu\":\"1\"}");
        assertEquals(403, noClass.code());
        assertEquals(
                "pods \"rc\" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined "
                        + "Overhead",
                noClass.json().path("message").asText());
    }
}
