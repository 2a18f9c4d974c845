package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The endpoints and EndpointSlice controllers over TLS, with the objects kube-controller-manager v1.34.4 wrote for
 * the same pods and Services (pods given an IP and a Ready condition through pods/status, as a kubelet does).
 */
class EndpointsControllerTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiClient admin = cluster.admin();

    private void ok(ApiClient.Response r) {
        assertTrue(r.code() == 200 || r.code() == 201, r.body());
    }

    private void namespace(String ns) {
        ok(admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}"));
        ok(admin.post(
                "/api/v1/nodes",
                "{\"metadata\":{\"name\":\"" + ns
                        + "-node\",\"labels\":{\"topology.kubernetes.io/zone\":\"zone-a\"}}}"));
    }

    /** A pod of app {@code app} on the namespace's node, with a named container port, optionally running. */
    private String pod(String ns, String name, String app, int port, String ip, String ready, String extraSpec) {
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces/" + ns + "/pods",
                "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"" + app + "\"}},\"spec\":{"
                        + (ip == null ? "" : "\"nodeName\":\"" + ns + "-node\",") + extraSpec
                        + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"ports\":[{\"name\":\"http\","
                        + "\"containerPort\":" + port + "}]}]}}");
        ok(r);
        if (ip != null) {
            ok(admin.patch(
                    "/api/v1/namespaces/" + ns + "/pods/" + name + "/status",
                    "{\"status\":{\"phase\":\"Running\",\"podIP\":\"" + ip + "\",\"podIPs\":[{\"ip\":\"" + ip
                            + "\"}],\"conditions\":[{\"type\":\"Ready\",\"status\":\"" + ready
                            + "\",\"lastTransitionTime\":\"2026-12-07T10:00:00Z\"}]}}",
                    "application/merge-patch+json"));
        }
        return r.json().at("/metadata/uid").asText();
    }

    private JsonNode service(String ns, String body) {
        ApiClient.Response r = admin.post("/api/v1/namespaces/" + ns + "/services", body);
        ok(r);
        return r.json();
    }

    private JsonNode endpoints(String ns, String name) {
        return TestApiServer.eventually(
                        () -> admin.get("/api/v1/namespaces/" + ns + "/endpoints/" + name), r -> r.code() == 200)
                .json();
    }

    private JsonNode slices(String ns, String service, int count) {
        return TestApiServer.eventually(
                        () -> admin.get("/apis/discovery.k8s.io/v1/namespaces/" + ns
                                + "/endpointslices?labelSelector=kubernetes.io/service-name=" + service),
                        r -> r.code() == 200 && r.json().path("items").size() == count)
                .json()
                .path("items");
    }

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readyAndNotReadyPodsWithNamedPortsAsTheReference() {
        String ns = "ep-web";
        namespace(ns);
        String p1 = pod(ns, "p1", "web", 8080, "10.244.0.5", "True", "\"hostname\":\"h1\",\"subdomain\":\"web\",");
        String p2 = pod(ns, "p2", "web", 8081, "10.244.0.6", "False", "");
        pod(ns, "p3", "web", 8082, null, null, "");
        JsonNode svc = service(
                ns,
                "{\"metadata\":{\"name\":\"web\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"selector\":{\"app\":\"web\"},"
                        + "\"ports\":[{\"name\":\"80-http\",\"port\":80,\"targetPort\":\"http\"},"
                        + "{\"name\":\"443-8443\",\"port\":443,\"targetPort\":8443}]}}");
        String created = svc.at("/metadata/creationTimestamp").asText();

        JsonNode ep = TestApiServer.eventually(
                        () -> admin.get("/api/v1/namespaces/" + ns + "/endpoints/web"),
                        r -> r.code() == 200 && r.json().path("subsets").size() == 3)
                .json();
        assertEquals(
                json("{\"app\":\"web\",\"endpoints.kubernetes.io/managed-by\":\"endpoint-controller\"}"),
                ep.at("/metadata/labels"));
        // a new Service: its creation time
        assertEquals(
                json("{\"endpoints.kubernetes.io/last-change-trigger-time\":\"" + created + "\"}"),
                ep.at("/metadata/annotations"));
        String a1 = "{\"ip\":\"10.244.0.5\",\"hostname\":\"h1\",\"nodeName\":\"ep-web-node\",\"targetRef\":{\"kind\":"
                + "\"Pod\",\"namespace\":\"ep-web\",\"name\":\"p1\",\"uid\":\"" + p1 + "\"}}";
        String a2 = "{\"ip\":\"10.244.0.6\",\"nodeName\":\"ep-web-node\",\"targetRef\":{\"kind\":"
                + "\"Pod\",\"namespace\":\"ep-web\",\"name\":\"p2\",\"uid\":\"" + p2 + "\"}}";
        String http8080 = "{\"name\":\"80-http\",\"port\":8080,\"protocol\":\"TCP\"}";
        String http8081 = "{\"name\":\"80-http\",\"port\":8081,\"protocol\":\"TCP\"}";
        String https = "{\"name\":\"443-8443\",\"port\":8443,\"protocol\":\"TCP\"}";
        java.util.Set<JsonNode> expected = java.util.Set.of(
                json("{\"addresses\":[" + a1 + "],\"ports\":[" + http8080 + "]}"),
                json("{\"addresses\":[" + a1 + "],\"notReadyAddresses\":[" + a2 + "],\"ports\":[" + https + "]}"),
                json("{\"notReadyAddresses\":[" + a2 + "],\"ports\":[" + http8081 + "]}"));
        java.util.Set<JsonNode> actual = new java.util.HashSet<>();
        ep.path("subsets").forEach(actual::add);
        assertEquals(expected, actual);

        JsonNode slices = slices(ns, "web", 2);
        JsonNode ready =
                slices.get(0).at("/endpoints/0/targetRef/name").asText().equals("p1") ? slices.get(0) : slices.get(1);
        JsonNode notReady = ready == slices.get(0) ? slices.get(1) : slices.get(0);
        assertEquals("web-", ready.at("/metadata/generateName").asText());
        assertEquals(
                json("{\"app\":\"web\",\"endpointslice.kubernetes.io/managed-by\":\"endpointslice-controller.k8s.io\","
                        + "\"kubernetes.io/service-name\":\"web\"}"),
                ready.at("/metadata/labels"));
        assertEquals(
                json("[{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"name\":\"web\",\"uid\":\""
                        + svc.at("/metadata/uid").asText() + "\",\"controller\":true,\"blockOwnerDeletion\":true}]"),
                ready.at("/metadata/ownerReferences"));
        assertEquals("IPv4", ready.path("addressType").asText());
        // port order: by hash, as the reference
        assertEquals(
                json("[{\"name\":\"443-8443\",\"protocol\":\"TCP\",\"port\":8443},"
                        + "{\"name\":\"80-http\",\"protocol\":\"TCP\",\"port\":8080}]"),
                ready.path("ports"));
        assertEquals(
                json("[{\"name\":\"80-http\",\"protocol\":\"TCP\",\"port\":8081},"
                        + "{\"name\":\"443-8443\",\"protocol\":\"TCP\",\"port\":8443}]"),
                notReady.path("ports"));
        assertEquals(
                json("[{\"addresses\":[\"10.244.0.5\"],\"conditions\":{\"ready\":true,\"serving\":true,"
                        + "\"terminating\":false},\"hostname\":\"h1\",\"targetRef\":{\"kind\":\"Pod\",\"namespace\":"
                        + "\"ep-web\",\"name\":\"p1\",\"uid\":\"" + p1 + "\"},\"nodeName\":\"ep-web-node\","
                        + "\"zone\":\"zone-a\"}]"),
                ready.path("endpoints"));
        assertEquals(
                json("{\"ready\":false,\"serving\":false,\"terminating\":false}"),
                notReady.at("/endpoints/0/conditions"));

        // deleted with the Service: the Endpoints by the controller, the slices by the garbage collector
        ok(admin.delete("/api/v1/namespaces/" + ns + "/services/web"));
        TestApiServer.eventually(() -> admin.get("/api/v1/namespaces/" + ns + "/endpoints/web"), r -> r.code() == 404);
        slices(ns, "web", 0);
    }

    @Test
    void aServiceWithoutEndpointsHasAPlaceholderSliceThatTheFirstPodFills() {
        String ns = "ep-empty";
        namespace(ns);
        service(
                ns,
                "{\"metadata\":{\"name\":\"empty\"},\"spec\":{\"selector\":{\"app\":\"empty\"},"
                        + "\"ports\":[{\"name\":\"80-80\",\"port\":80}]}}");
        JsonNode ep = endpoints(ns, "empty");
        assertTrue(ep.path("subsets").isMissingNode(), ep.toString());
        JsonNode placeholder = slices(ns, "empty", 1).get(0);
        assertTrue(placeholder.path("endpoints").isNull(), placeholder.toString());
        assertTrue(placeholder.path("ports").isNull(), placeholder.toString());
        assertEquals(1, placeholder.at("/metadata/generation").asInt());

        pod(ns, "e1", "empty", 80, "10.244.0.7", "True", "");
        JsonNode filled = TestApiServer.eventually(
                        () -> admin.get("/apis/discovery.k8s.io/v1/namespaces/" + ns + "/endpointslices/"
                                + placeholder.at("/metadata/name").asText()),
                        r -> r.code() == 200 && r.json().path("endpoints").size() == 1)
                .json();
        assertEquals(2, filled.at("/metadata/generation").asInt());
        assertEquals(json("[{\"name\":\"80-80\",\"protocol\":\"TCP\",\"port\":80}]"), filled.path("ports"));
        // the pod's Ready transition is the change that triggered it
        assertEquals(
                "2026-12-07T10:00:00Z",
                filled.at("/metadata/annotations/endpoints.kubernetes.io~1last-change-trigger-time")
                        .asText());
        JsonNode updated = TestApiServer.eventually(
                        () -> admin.get("/api/v1/namespaces/" + ns + "/endpoints/empty"),
                        r -> r.json().path("subsets").size() == 1)
                .json();
        assertEquals(
                "2026-12-07T10:00:00Z",
                updated.at("/metadata/annotations/endpoints.kubernetes.io~1last-change-trigger-time")
                        .asText());
    }

    @Test
    void servicesWithoutSelectorAreLeftAlone() {
        String ns = "ep-manual";
        namespace(ns);
        service(ns, "{\"metadata\":{\"name\":\"manual\"},\"spec\":{\"ports\":[{\"port\":80}]}}");
        // a later Service with a selector is synced after it: by then the first would have its Endpoints
        service(
                ns,
                "{\"metadata\":{\"name\":\"later\"},\"spec\":{\"selector\":{\"a\":\"b\"},\"ports\":[{\"port\":80}]}}");
        endpoints(ns, "later");
        slices(ns, "later", 1);
        assertEquals(
                404, admin.get("/api/v1/namespaces/" + ns + "/endpoints/manual").code());
        assertEquals(0, slices(ns, "manual", 0).size());
    }

    @Test
    void headlessServicesAreLabelledAndPublishNotReadyAddresses() {
        String ns = "ep-headless";
        namespace(ns);
        pod(ns, "h1", "db", 5432, "10.244.1.5", "False", "");
        service(
                ns,
                "{\"metadata\":{\"name\":\"db\"},\"spec\":{\"clusterIP\":\"None\",\"selector\":{\"app\":\"db\"},"
                        + "\"publishNotReadyAddresses\":true,\"ports\":[{\"name\":\"pg\",\"port\":5432}]}}");
        JsonNode ep = TestApiServer.eventually(
                        () -> admin.get("/api/v1/namespaces/" + ns + "/endpoints/db"),
                        r -> r.code() == 200 && r.json().path("subsets").size() == 1)
                .json();
        assertEquals(
                json("{\"endpoints.kubernetes.io/managed-by\":\"endpoint-controller\","
                        + "\"service.kubernetes.io/headless\":\"\"}"),
                ep.at("/metadata/labels"));
        assertEquals("10.244.1.5", ep.at("/subsets/0/addresses/0/ip").asText());
        JsonNode slice = slices(ns, "db", 1).get(0);
        assertEquals(
                "", slice.at("/metadata/labels/service.kubernetes.io~1headless").asText("missing"));
        assertEquals(
                json("{\"ready\":true,\"serving\":false,\"terminating\":false}"), slice.at("/endpoints/0/conditions"));

        // without ports: the addresses alone; the reference rewrites the slice (its nil ports never equal the empty
        // ones it wants), which clears the trigger time on the second sync
        service(
                ns,
                "{\"metadata\":{\"name\":\"noports\"},\"spec\":{\"clusterIP\":\"None\","
                        + "\"selector\":{\"app\":\"db\"}}}");
        JsonNode bare = TestApiServer.eventually(
                        () -> admin.get("/api/v1/namespaces/" + ns + "/endpoints/noports"),
                        r -> r.code() == 200 && r.json().path("subsets").size() == 1)
                .json();
        assertEquals("10.244.1.5", bare.at("/subsets/0/notReadyAddresses/0/ip").asText());
        assertTrue(bare.at("/subsets/0/ports").isMissingNode(), bare.toString());
        JsonNode rewritten = TestApiServer.eventually(
                        () -> admin.get("/apis/discovery.k8s.io/v1/namespaces/" + ns
                                + "/endpointslices?labelSelector=kubernetes.io/service-name=noports"),
                        r -> r.json().at("/items/0/endpoints").size() == 1
                                && r.json().at("/items/0/metadata/annotations").isMissingNode())
                .json()
                .at("/items/0");
        assertTrue(rewritten.path("ports").isNull(), rewritten.toString());
    }

    @Test
    void customEndpointsOfAServiceWithoutSelectorAreMirrored() {
        String ns = "ep-mirror";
        namespace(ns);
        JsonNode svc = service(ns, "{\"metadata\":{\"name\":\"manual\"},\"spec\":{\"ports\":[{\"port\":80}]}}");
        ApiClient.Response created = admin.post(
                "/api/v1/namespaces/" + ns + "/endpoints",
                "{\"metadata\":{\"name\":\"manual\",\"labels\":{\"team\":\"x\"},\"annotations\":{\"a\":\"b\"}},"
                        + "\"subsets\":[{\"addresses\":[{\"ip\":\"10.1.2.3\"}],\"notReadyAddresses\":[{\"ip\":\"10.1.2.4\"}],"
                        + "\"ports\":[{\"port\":80}]}]}");
        ok(created);
        JsonNode slice = slices(ns, "manual", 1).get(0);
        assertEquals("manual-", slice.at("/metadata/generateName").asText());
        assertEquals(
                json("{\"team\":\"x\",\"kubernetes.io/service-name\":\"manual\","
                        + "\"endpointslice.kubernetes.io/managed-by\":\"endpointslicemirroring-controller.k8s.io\"}"),
                slice.at("/metadata/labels"));
        assertEquals(json("{\"a\":\"b\"}"), slice.at("/metadata/annotations"));
        assertEquals(
                json("[{\"apiVersion\":\"v1\",\"kind\":\"Endpoints\",\"name\":\"manual\",\"uid\":\""
                        + created.json().at("/metadata/uid").asText() + "\",\"controller\":true,"
                        + "\"blockOwnerDeletion\":true}]"),
                slice.at("/metadata/ownerReferences"));
        assertEquals(
                json("[{\"addresses\":[\"10.1.2.3\"],\"conditions\":{\"ready\":true}},"
                        + "{\"addresses\":[\"10.1.2.4\"],\"conditions\":{\"ready\":false}}]"),
                slice.path("endpoints"));
        assertEquals(json("[{\"name\":\"\",\"protocol\":\"TCP\",\"port\":80}]"), slice.path("ports"));
        assertEquals("IPv4", slice.path("addressType").asText());
        assertTrue(svc.has("spec"));

        // the Service goes: the endpoints controller deletes Endpoints of its name, even written by a client, and
        // the mirrored slices go
        ok(admin.delete("/api/v1/namespaces/" + ns + "/services/manual"));
        slices(ns, "manual", 0);
        TestApiServer.eventually(
                () -> admin.get("/api/v1/namespaces/" + ns + "/endpoints/manual"), r -> r.code() == 404);
    }
}
