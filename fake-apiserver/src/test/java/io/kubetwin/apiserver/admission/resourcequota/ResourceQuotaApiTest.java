package io.kubetwin.apiserver.admission.resourcequota;

import static io.kubetwin.apiserver.testing.TestApiServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ResourceQuota over TLS: the controller's first status, admission charging usage and refusing what does not
 * fit, and the controller giving usage back after a delete. The texts and status values are those
 * kube-apiserver v1.34.4 (with kube-controller-manager) gave for the same sequence.
 */
class ResourceQuotaApiTest {

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    private static String pod(String name, String cpu, String memory) {
        String resources = cpu == null
                ? ""
                : ",\"resources\":{\"requests\":{\"cpu\":\"" + cpu + "\"},\"limits\":{\"memory\":\"" + memory + "\"}}";
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"" + name + "\",\"image\":\"nginx\"" + resources + "}]}}";
    }

    private String used(String ns) {
        return admin.get("/api/v1/namespaces/" + ns + "/resourcequotas/q")
                .json()
                .at("/status/used")
                .toString();
    }

    @Test
    void chargesRefusesAndGivesBack() {
        String ns = "q";
        String pods = "/api/v1/namespaces/" + ns + "/pods";
        assertEquals(
                201,
                admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}")
                        .code());
        assertEquals(
                201,
                admin.post("/api/v1/namespaces/" + ns + "/resourcequotas", """
                {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"spec":{"hard":{"pods":"2",
                 "requests.cpu":"1","limits.memory":"1Gi","count/configmaps":"3","services":"1","secrets":"10"}}}""").code());
        ApiClient.Response quota = eventually(
                () -> admin.get("/api/v1/namespaces/" + ns + "/resourcequotas/q"),
                r -> r.json().at("/status/used/count~1configmaps").asText().equals("1"));
        assertEquals(
                "{\"hard\":{\"count/configmaps\":\"3\",\"limits.memory\":\"1Gi\",\"pods\":\"2\",\"requests.cpu\":\"1\","
                        + "\"secrets\":\"10\",\"services\":\"1\"},\"used\":{\"count/configmaps\":\"1\","
                        + "\"limits.memory\":\"0\",\"pods\":\"0\",\"requests.cpu\":\"0\",\"secrets\":\"0\",\"services\":\"0\"}}",
                quota.json().path("status").toString());

        ApiClient.Response bare = admin.post(pods, pod("a", null, null));
        assertEquals(403, bare.code());
        assertEquals(
                "pods \"a\" is forbidden: failed quota: q: must specify limits.memory for: a; requests.cpu for: a",
                bare.json().path("message").asText());

        assertEquals(201, admin.post(pods, pod("a", "600m", "512Mi")).code());
        assertEquals(
                "{\"count/configmaps\":\"1\",\"limits.memory\":\"512Mi\",\"pods\":\"1\",\"requests.cpu\":\"600m\","
                        + "\"secrets\":\"0\",\"services\":\"0\"}",
                used(ns));
        ApiClient.Response tooMuch = admin.post(pods, pod("b", "600m", "512Mi"));
        assertEquals(403, tooMuch.code());
        assertEquals(
                "pods \"b\" is forbidden: exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=600m, "
                        + "limited: requests.cpu=1",
                tooMuch.json().path("message").asText());
        assertEquals(201, admin.post(pods, pod("b", "400m", "512Mi")).code());
        ApiClient.Response third = admin.post(pods, pod("c", "0", "0"));
        assertEquals(
                "pods \"c\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2",
                third.json().path("message").asText());
        assertEquals(
                "{\"count/configmaps\":\"1\",\"limits.memory\":\"1Gi\",\"pods\":\"2\",\"requests.cpu\":\"1\","
                        + "\"secrets\":\"0\",\"services\":\"0\"}",
                used(ns));

        // a dry run is checked but not charged
        String service = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\"},"
                + "\"spec\":{\"ports\":[{\"port\":80}]}}";
        assertEquals(
                201,
                admin.post("/api/v1/namespaces/" + ns + "/services?dryRun=All", service.formatted("s0"))
                        .code());
        assertEquals(
                201,
                admin.post("/api/v1/namespaces/" + ns + "/services", service.formatted("s1"))
                        .code());
        ApiClient.Response s2 = admin.post("/api/v1/namespaces/" + ns + "/services", service.formatted("s2"));
        assertEquals(403, s2.code());
        assertEquals(
                "services \"s2\" is forbidden: exceeded quota: q, requested: services=1, used: services=1, "
                        + "limited: services=1",
                s2.json().path("message").asText());

        // deletes are given back by the controller, not by admission
        assertEquals(200, admin.delete(pods + "/a?gracePeriodSeconds=0").code());
        eventually(
                () -> admin.get("/api/v1/namespaces/" + ns + "/resourcequotas/q"),
                r -> r.json().at("/status/used/pods").asText().equals("1"));
        assertEquals(
                "{\"count/configmaps\":\"1\",\"limits.memory\":\"512Mi\",\"pods\":\"1\",\"requests.cpu\":\"400m\","
                        + "\"secrets\":\"0\",\"services\":\"1\"}",
                used(ns));
    }
}
