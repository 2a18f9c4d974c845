package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ReplicaSet, ReplicationController and Deployment controllers over TLS, with what the reference
 * (kube-apiserver and kube-controller-manager v1.34.4, no scheduler, so pods stay Pending) showed for the same
 * steps: {@code kubectl create deployment web --image=nginx --replicas=2} gives ReplicaSet web-64c966cf88 and two
 * pods, a template change stalls with the old ReplicaSet at 2 and the new one at 1.
 */
class WorkloadControllersTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    private static final String DEPLOY =
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                    + "\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                    + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\","
                    + "\"image\":\"nginx\",\"resources\":{}}]}},\"strategy\":{}}}";

    private List<JsonNode> pods(String selector) {
        List<JsonNode> out = new ArrayList<>();
        admin.get("/api/v1/namespaces/default/pods?labelSelector=" + selector)
                .json()
                .path("items")
                .forEach(out::add);
        return out;
    }

    @Test
    void deploymentMakesTheReferencesReplicaSetPodsStatusAndEvents() {
        assertEquals(
                201,
                admin.post("/apis/apps/v1/namespaces/default/deployments", DEPLOY)
                        .code());
        String rsPath = "/apis/apps/v1/namespaces/default/replicasets/web-64c966cf88";
        JsonNode rs = TestApiServer.eventually(
                        () -> admin.get(rsPath),
                        r -> r.code() == 200 && r.json().at("/status/replicas").asInt() == 2)
                .json();
        assertEquals("64c966cf88", rs.at("/metadata/labels/pod-template-hash").asText());
        assertEquals(
                "64c966cf88",
                rs.at("/spec/selector/matchLabels/pod-template-hash").asText());
        assertEquals(
                "1",
                rs.at("/metadata/annotations/deployment.kubernetes.io~1revision")
                        .asText());
        assertEquals(
                "2",
                rs.at("/metadata/annotations/deployment.kubernetes.io~1desired-replicas")
                        .asText());
        assertEquals(
                "3",
                rs.at("/metadata/annotations/deployment.kubernetes.io~1max-replicas")
                        .asText());
        assertEquals("Deployment", rs.at("/metadata/ownerReferences/0/kind").asText());
        assertTrue(rs.at("/metadata/ownerReferences/0/blockOwnerDeletion").asBoolean());
        assertEquals(2, rs.at("/status/fullyLabeledReplicas").asInt());
        assertEquals(1, rs.at("/status/observedGeneration").asInt());
        assertTrue(rs.at("/status/readyReplicas").isMissingNode());

        List<JsonNode> pods = pods("app=web");
        assertEquals(2, pods.size());
        for (JsonNode pod : pods) {
            assertTrue(pod.at("/metadata/name").asText().matches("web-64c966cf88-[bcdfghjklmnpqrstvwxz2456789]{5}"));
            assertEquals("web-64c966cf88-", pod.at("/metadata/generateName").asText());
            assertEquals(
                    "ReplicaSet", pod.at("/metadata/ownerReferences/0/kind").asText());
            assertTrue(pod.at("/metadata/ownerReferences/0/controller").asBoolean());
        }

        JsonNode d = TestApiServer.eventually(
                        () -> admin.get("/apis/apps/v1/namespaces/default/deployments/web"),
                        r -> r.json().at("/status/updatedReplicas").asInt() == 2
                                && r.json()
                                        .at("/status/conditions/1/reason")
                                        .asText()
                                        .equals("ReplicaSetUpdated"))
                .json();
        assertEquals(
                "1",
                d.at("/metadata/annotations/deployment.kubernetes.io~1revision").asText());
        assertEquals(2, d.at("/status/replicas").asInt());
        assertEquals(2, d.at("/status/unavailableReplicas").asInt());
        assertEquals("Available", d.at("/status/conditions/0/type").asText());
        assertEquals(
                "MinimumReplicasUnavailable",
                d.at("/status/conditions/0/reason").asText());
        assertEquals(
                "Deployment does not have minimum availability.",
                d.at("/status/conditions/0/message").asText());
        assertEquals(
                "ReplicaSet \"web-64c966cf88\" is progressing.",
                d.at("/status/conditions/1/message").asText());

        JsonNode events = admin.get("/api/v1/namespaces/default/events").json().path("items");
        List<String> messages = new ArrayList<>();
        events.forEach(e ->
                messages.add(e.path("reason").asText() + " " + e.path("message").asText()));
        assertTrue(
                messages.contains("ScalingReplicaSet Scaled up replica set web-64c966cf88 from 0 to 2"),
                messages.toString());
        assertEquals(
                2,
                messages.stream()
                        .filter(m -> m.startsWith("SuccessfulCreate Created pod: web-64c966cf88-"))
                        .count());

        // a new template: the new ReplicaSet gets one pod (maxSurge 1), the old one keeps two (none is available)
        assertEquals(
                200,
                admin.patch(
                                "/apis/apps/v1/namespaces/default/deployments/web",
                                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.25\"}]}}}}",
                                "application/strategic-merge-patch+json")
                        .code());
        JsonNode rolled = TestApiServer.eventually(
                        () -> admin.get("/apis/apps/v1/namespaces/default/deployments/web"),
                        r -> r.json().at("/status/updatedReplicas").asInt() == 1
                                && r.json().at("/status/replicas").asInt() == 3)
                .json();
        assertEquals(
                "2",
                rolled.at("/metadata/annotations/deployment.kubernetes.io~1revision")
                        .asText());
        assertEquals(3, rolled.at("/status/unavailableReplicas").asInt());
        assertEquals(2, admin.get(rsPath).json().at("/spec/replicas").asInt());
        assertEquals(3, pods("app=web").size());

        // kubectl scale on a settled single ReplicaSet
        assertEquals(
                201,
                admin.post(
                                "/apis/apps/v1/namespaces/default/deployments",
                                DEPLOY.replace("\"web\"", "\"solo\"").replace("\"replicas\":2", "\"replicas\":1"))
                        .code());
        TestApiServer.eventually(
                () -> admin.get("/api/v1/namespaces/default/pods?labelSelector=app=solo"),
                r -> r.json().path("items").size() == 1);
        assertEquals(
                200,
                admin.patch(
                                "/apis/apps/v1/namespaces/default/deployments/solo/scale",
                                "{\"spec\":{\"replicas\":3}}",
                                "application/merge-patch+json")
                        .code());
        TestApiServer.eventually(
                () -> admin.get("/api/v1/namespaces/default/pods?labelSelector=app=solo"),
                r -> r.json().path("items").size() == 3);
        TestApiServer.eventually(
                () -> admin.get("/api/v1/namespaces/default/events"),
                r -> r.body().contains("from 1 to 3"));
    }

    @Test
    void replicationControllerScalesDownAndAdoptsOrphans() {
        String orphan = "{\"metadata\":{\"name\":\"stray\",\"labels\":{\"app\":\"rc\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
        assertEquals(201, admin.post("/api/v1/namespaces/default/pods", orphan).code());
        String rc = "{\"metadata\":{\"name\":\"rc\"},\"spec\":{\"replicas\":3,\"selector\":{\"app\":\"rc\"},"
                + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"rc\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox\"}]}}}}";
        assertEquals(
                201,
                admin.post("/api/v1/namespaces/default/replicationcontrollers", rc)
                        .code());
        TestApiServer.eventually(
                () -> admin.get("/api/v1/namespaces/default/replicationcontrollers/rc"),
                r -> r.json().at("/status/replicas").asInt() == 3);
        JsonNode stray = admin.get("/api/v1/namespaces/default/pods/stray").json();
        assertEquals(
                "ReplicationController",
                stray.at("/metadata/ownerReferences/0/kind").asText());
        assertEquals(3, pods("app=rc").size());

        assertEquals(
                200,
                admin.patch(
                                "/api/v1/namespaces/default/replicationcontrollers/rc",
                                "{\"spec\":{\"replicas\":1}}",
                                "application/merge-patch+json")
                        .code());
        TestApiServer.eventually(
                () -> admin.get("/api/v1/namespaces/default/replicationcontrollers/rc"),
                r -> r.json().at("/status/replicas").asInt() == 1
                        && r.json().at("/status/observedGeneration").asInt() == 2);
        assertEquals(
                1,
                pods("app=rc").stream()
                        .filter(p -> !p.at("/metadata").has("deletionTimestamp"))
                        .count());
        assertFalse(admin.get("/api/v1/namespaces/default/events").body().contains("FailedCreate"));
    }

    @Test
    void daemonSetRunsOnePodPerNodeItTolerates() {
        assertEquals(
                201,
                admin.post("/api/v1/nodes", "{\"metadata\":{\"name\":\"node-a\"}}")
                        .code());
        String picky = "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"agent\"},"
                + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"agent\"}},\"template\":{\"metadata\":{\"labels\":"
                + "{\"app\":\"agent\"}},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"busybox\"}]}}}}";
        assertEquals(
                201,
                admin.post("/apis/apps/v1/namespaces/default/daemonsets", picky).code());
        // the not-ready taint TaintNodesByCondition put on the node is not tolerated (no node lifecycle controller)
        JsonNode status = TestApiServer.eventually(
                        () -> admin.get("/apis/apps/v1/namespaces/default/daemonsets/agent"),
                        r -> r.json().at("/status/observedGeneration").asInt() == 1)
                .json()
                .path("status");
        assertEquals(
                "{\"currentNumberScheduled\":0,\"numberMisscheduled\":0,\"desiredNumberScheduled\":0,\"numberReady\":0,"
                        + "\"observedGeneration\":1}",
                status.toString());

        String tolerant = picky.replace("agent", "agent2")
                .replace(
                        "\"spec\":{\"containers\"",
                        "\"spec\":{\"tolerations\":[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\","
                                + "\"effect\":\"NoSchedule\"}],\"containers\"");
        assertEquals(
                201,
                admin.post("/apis/apps/v1/namespaces/default/daemonsets", tolerant)
                        .code());
        JsonNode ds = TestApiServer.eventually(
                        () -> admin.get("/apis/apps/v1/namespaces/default/daemonsets/agent2"),
                        r -> r.json().at("/status/currentNumberScheduled").asInt() == 1)
                .json();
        assertEquals(
                "{\"currentNumberScheduled\":1,\"numberMisscheduled\":0,\"desiredNumberScheduled\":1,\"numberReady\":0,"
                        + "\"observedGeneration\":1,\"updatedNumberScheduled\":1,\"numberUnavailable\":1}",
                ds.path("status").toString());
        // the reference's names for this template: ControllerRevision agent2-6cd9689ccf
        JsonNode cr = admin.get("/apis/apps/v1/namespaces/default/controllerrevisions/agent2-6cd9689ccf")
                .json();
        assertEquals(1, cr.path("revision").asInt());
        assertEquals("replace", cr.at("/data/spec/template/$patch").asText());
        List<JsonNode> pods = pods("app=agent2");
        assertEquals(1, pods.size());
        JsonNode pod = pods.get(0);
        assertEquals(
                "6cd9689ccf",
                pod.at("/metadata/labels/controller-revision-hash").asText());
        assertEquals("1", pod.at("/metadata/labels/pod-template-generation").asText());
        assertEquals(
                "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[{\"matchFields\":"
                        + "[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"node-a\"]}]}]}}}",
                pod.at("/spec/affinity").toString());
        List<String> tolerations = new ArrayList<>();
        pod.at("/spec/tolerations")
                .forEach(t -> tolerations.add(
                        t.path("key").asText() + ":" + t.path("effect").asText()));
        assertEquals(
                List.of(
                        "node.kubernetes.io/not-ready:NoSchedule",
                        "node.kubernetes.io/not-ready:NoExecute",
                        "node.kubernetes.io/unreachable:NoExecute",
                        "node.kubernetes.io/disk-pressure:NoSchedule",
                        "node.kubernetes.io/memory-pressure:NoSchedule",
                        "node.kubernetes.io/pid-pressure:NoSchedule",
                        "node.kubernetes.io/unschedulable:NoSchedule"),
                tolerations);
        assertTrue(pod.at("/spec/nodeName").isMissingNode());
    }
}
