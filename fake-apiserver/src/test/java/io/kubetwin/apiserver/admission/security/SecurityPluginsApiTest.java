package io.kubetwin.apiserver.admission.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The security plugins users switch on, over TLS, with what kube-apiserver v1.34.4 answered when started
 * with the same --enable-admission-plugins.
 */
class SecurityPluginsApiTest {
    private static final String NS = "p";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> b.enableAdmissionPlugins(List.of(
                    "AlwaysPullImages",
                    "DenyServiceExternalIPs",
                    "ExtendedResourceToleration",
                    "LimitPodHardAntiAffinityTopology",
                    "NamespaceAutoProvision")))
            .build();

    private final ApiClient admin = cluster.admin();

    @BeforeAll
    static void seed() {
        assertEquals(
                201,
                cluster.admin()
                        .post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + NS + "\"}}")
                        .code());
    }

    @Test
    void imagesArePulledAlwaysAndExtendedResourcesTolerated() {
        ApiClient.Response r = admin.post("/api/v1/namespaces/" + NS + "/pods?dryRun=All", """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"ap"},"spec":{
                 "initContainers":[{"name":"i","image":"busybox","imagePullPolicy":"Never"}],
                 "containers":[{"name":"c","image":"nginx:1.27","imagePullPolicy":"IfNotPresent",
                   "resources":{"limits":{"example.com/gpu":"1"}}}],
                 "tolerations":[{"key":"example.com/gpu","operator":"Exists","effect":"NoSchedule","tolerationSeconds":5}]}}""");
        assertEquals(201, r.code(), r.body());
        assertEquals(
                "Always", r.json().at("/spec/initContainers/0/imagePullPolicy").asText());
        assertEquals("Always", r.json().at("/spec/containers/0/imagePullPolicy").asText());
        assertEquals(
                "[{\"key\":\"example.com/gpu\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"},"
                        + "{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
                        + "\"tolerationSeconds\":300},{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
                        + "\"effect\":\"NoExecute\",\"tolerationSeconds\":300}]",
                r.json().at("/spec/tolerations").toString());
    }

    @Test
    void externalIpsAreRefused() {
        ApiClient.Response r = admin.post("/api/v1/namespaces/" + NS + "/services", """
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"ext"},
                 "spec":{"ports":[{"port":80}],"externalIPs":["1.2.3.4"]}}""");
        assertEquals(403, r.code());
        assertEquals(
                "services \"ext\" is forbidden: Use of external IPs is denied by admission control",
                r.json().path("message").asText());
    }

    @Test
    void hardAntiAffinityOnlyPerHost() {
        String pod = """
                {"apiVersion":"v1","kind":"Pod","metadata":{%s},"spec":{"containers":[{"name":"c","image":"nginx"}],
                 "affinity":{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                  {"topologyKey":"topology.kubernetes.io/zone","labelSelector":{"matchLabels":{"a":"b"}}}]}}}}""";
        ApiClient.Response named = admin.post("/api/v1/namespaces/" + NS + "/pods", pod.formatted("\"name\":\"aa\""));
        assertEquals(403, named.code());
        assertEquals(
                "pods \"aa\" is forbidden: affinity.PodAntiAffinity.RequiredDuringScheduling has TopologyKey "
                        + "topology.kubernetes.io/zone but only key kubernetes.io/hostname is allowed",
                named.json().path("message").asText());
        // the name is generated before the validating phase, so the message shows it
        ApiClient.Response generated =
                admin.post("/api/v1/namespaces/" + NS + "/pods", pod.formatted("\"generateName\":\"aa-\""));
        assertEquals(403, generated.code());
        String message = generated.json().path("message").asText();
        assertEquals(true, message.matches("pods \"aa-[a-z0-9]{5}\" is forbidden: affinity.*"), message);
    }

    @Test
    void aMissingNamespaceIsCreated() {
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces/auto/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"}}");
        assertEquals(201, r.code(), r.body());
        ApiClient.Response ns = admin.get("/api/v1/namespaces/auto");
        assertEquals(200, ns.code());
        assertEquals("Active", ns.json().at("/status/phase").asText());
        assertEquals(
                "auto",
                ns.json().at("/metadata/labels/kubernetes.io~1metadata.name").asText());
    }
}
