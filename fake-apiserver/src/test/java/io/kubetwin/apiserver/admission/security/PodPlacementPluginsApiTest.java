package io.kubetwin.apiserver.admission.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PodNodeSelector and PodTolerationRestriction over TLS, driven by namespace annotations, with what
 * kube-apiserver v1.34.4 answered for the same namespace and pods.
 */
class PodPlacementPluginsApiTest {
    private static final String PODS = "/api/v1/namespaces/sel/pods?dryRun=All";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> b.enableAdmissionPlugins(List.of("PodNodeSelector", "PodTolerationRestriction")))
            .build();

    private final ApiClient admin = cluster.admin();

    @BeforeAll
    static void seed() {
        ApiClient.Response ns = cluster.admin().post("/api/v1/namespaces", """
                {"metadata":{"name":"sel","annotations":{
                 "scheduler.alpha.kubernetes.io/node-selector":"env=prod",
                 "scheduler.alpha.kubernetes.io/defaultTolerations":
                   "[{\\"key\\":\\"dedicated\\",\\"operator\\":\\"Equal\\",\\"value\\":\\"prod\\",\\"effect\\":\\"NoSchedule\\"}]",
                 "scheduler.alpha.kubernetes.io/tolerationsWhitelist":
                   "[{\\"key\\":\\"dedicated\\",\\"operator\\":\\"Exists\\"},{\\"operator\\":\\"Exists\\",\\"effect\\":\\"NoExecute\\"},{\\"key\\":\\"node.kubernetes.io/memory-pressure\\",\\"operator\\":\\"Exists\\"}]"}}}""");
        assertEquals(201, ns.code(), ns.body());
    }

    @Test
    void theNamespacesSelectorAndTolerationsAreMergedIn() {
        ApiClient.Response r = admin.post(PODS, """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"s1"},"spec":{"nodeSelector":{"disk":"ssd"},
                 "containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"10m"}}}]}}""");
        assertEquals(201, r.code(), r.body());
        assertEquals(
                "{\"disk\":\"ssd\",\"env\":\"prod\"}",
                r.json().at("/spec/nodeSelector").toString());
        assertEquals(
                "[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
                        + "\"tolerationSeconds\":300},{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\","
                        + "\"effect\":\"NoExecute\",\"tolerationSeconds\":300},{\"key\":\"dedicated\",\"operator\":\"Equal\","
                        + "\"value\":\"prod\",\"effect\":\"NoSchedule\"},{\"key\":\"node.kubernetes.io/memory-pressure\","
                        + "\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]",
                r.json().at("/spec/tolerations").toString());
    }

    @Test
    void aConflictingSelectorIsForbidden() {
        ApiClient.Response r = admin.post(PODS, """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"s2"},"spec":{"nodeSelector":{"env":"dev"},
                 "containers":[{"name":"c","image":"nginx"}]}}""");
        assertEquals(403, r.code());
        assertEquals(
                "pods \"s2\" is forbidden: pod node label selector conflicts with its namespace node label selector",
                r.json().path("message").asText());
    }

    @Test
    void aTolerationOutsideTheWhitelistIsA500WithoutReason() {
        ApiClient.Response r = admin.post(PODS, """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"s3"},"spec":{"tolerations":[{"key":"gpu",
                 "operator":"Exists","effect":"NoSchedule"}],"containers":[{"name":"c","image":"nginx"}]}}""");
        assertEquals(500, r.code());
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"pod "
                        + "tolerations (possibly merged with namespace default tolerations) conflict with its namespace "
                        + "whitelist\",\"code\":500}",
                r.json().toString());
    }
}
