package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code kubectl rollout} users see from the deployment controller, over TLS, with the values the reference
 * (kube-apiserver and kube-controller-manager v1.34.4, pods Pending) showed in the workloads-rollouts suite: pause
 * (Progressing DeploymentPaused, a scale but no new ReplicaSet), resume (the new ReplicaSet with maxSurge pods),
 * a scale shared in proportion, and kubectl rollout undo's patch reusing the old ReplicaSet at a new revision.
 */
class DeploymentRolloutsTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    private static final String NS = "/apis/apps/v1/namespaces/default/";
    private static final String OLD_RS = NS + "replicasets/web-64c966cf88";
    private static final String NEW_RS = NS + "replicasets/web-8569cf94d";
    private static final String DEPLOY =
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\","
                    + "\"labels\":{\"app\":\"web\"}},\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                    + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\","
                    + "\"image\":\"nginx\",\"resources\":{}}]}},\"strategy\":{}}}";

    private ApiClient.Response merge(String path, String patch) {
        return admin.patch(path, patch, "application/merge-patch+json");
    }

    private JsonNode until(String path, String pointer, String value) {
        return TestApiServer.eventually(
                        () -> admin.get(path),
                        r -> r.code() == 200 && r.json().at(pointer).asText().equals(value))
                .json();
    }

    private static String annotation(JsonNode o, String key) {
        return o.path("metadata").path("annotations").path(key).asText(null);
    }

    private List<String> scalingEvents() {
        List<String> out = new ArrayList<>();
        admin.get("/api/v1/namespaces/default/events?fieldSelector=reason%3DScalingReplicaSet")
                .json()
                .path("items")
                .forEach(e -> out.add(e.path("message").asText()));
        return out;
    }

    @Test
    void pauseResumeProportionalScalingAndUndo() {
        assertEquals(201, admin.post(NS + "deployments", DEPLOY).code());
        until(OLD_RS, "/status/replicas", "3");
        JsonNode first = until(NS + "deployments/web", "/status/conditions/1/reason", "ReplicaSetUpdated");
        // the controller's revision annotation goes through the status subresource: no new generation
        assertEquals("1", annotation(first, DeploymentUtil.REVISION));
        assertEquals(1, first.at("/metadata/generation").asInt());
        // a client's annotation bumps it (deployment strategy), as the reference does
        assertEquals(
                2,
                merge(NS + "deployments/web", "{\"metadata\":{\"annotations\":{\"team\":\"a\"}}}")
                        .json()
                        .at("/metadata/generation")
                        .asInt());

        // kubectl rollout pause
        assertEquals(
                200,
                merge(NS + "deployments/web", "{\"spec\":{\"paused\":true}}").code());
        JsonNode paused = until(NS + "deployments/web", "/status/conditions/1/reason", "DeploymentPaused");
        assertEquals("Progressing", paused.at("/status/conditions/1/type").asText());
        assertEquals("Unknown", paused.at("/status/conditions/1/status").asText());
        assertEquals(
                "Deployment is paused",
                paused.at("/status/conditions/1/message").asText());

        // a new template and a scale while paused: the active ReplicaSet is scaled, none is created
        assertEquals(
                200,
                admin.patch(
                                NS + "deployments/web",
                                "{\"spec\":{\"replicas\":5,\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\","
                                        + "\"image\":\"nginx:1.25\"}]}}}}",
                                "application/strategic-merge-patch+json")
                        .code());
        JsonNode observed = until(NS + "deployments/web", "/status/observedGeneration", "4");
        assertEquals("1", annotation(observed, DeploymentUtil.REVISION));
        JsonNode old = until(OLD_RS, "/spec/replicas", "5");
        assertEquals("5", annotation(old, DeploymentUtil.DESIRED));
        assertEquals("7", annotation(old, DeploymentUtil.MAX));
        assertEquals(404, admin.get(NEW_RS).code());
        assertEquals(
                1,
                admin.get(NS + "replicasets?labelSelector=app%3Dweb")
                        .json()
                        .path("items")
                        .size());

        // kubectl rollout resume: the new ReplicaSet with maxSurge (2 of 5) pods, then maxUnavailable (1) of the old
        // ones, which are not available, go and the new ReplicaSet takes their place
        assertEquals(
                200,
                merge(NS + "deployments/web", "{\"spec\":{\"paused\":false}}").code());
        JsonNode created = until(NEW_RS, "/status/replicas", "3");
        assertEquals("2", annotation(created, DeploymentUtil.REVISION));
        assertEquals("7", annotation(created, DeploymentUtil.MAX));
        assertEquals(
                4, until(OLD_RS, "/status/replicas", "4").at("/spec/replicas").asInt());
        until(NS + "deployments/web", "/status/updatedReplicas", "3");

        // a scale during the stalled rollout: 7 -> 13 (10 + maxSurge 3), shared 3 and 3 from the larger
        assertEquals(
                200,
                merge(NS + "deployments/web/scale", "{\"spec\":{\"replicas\":10}}")
                        .code());
        old = until(OLD_RS, "/status/replicas", "7");
        JsonNode newer = until(NEW_RS, "/status/replicas", "6");
        for (JsonNode rs : List.of(old, newer)) {
            assertEquals("10", annotation(rs, DeploymentUtil.DESIRED));
            assertEquals("13", annotation(rs, DeploymentUtil.MAX));
        }
        until(NS + "deployments/web", "/status/replicas", "13");
        assertEquals(
                List.of(
                        "Scaled up replica set web-64c966cf88 from 0 to 3",
                        "Scaled up replica set web-64c966cf88 from 3 to 5",
                        "Scaled up replica set web-8569cf94d from 0 to 2",
                        "Scaled down replica set web-64c966cf88 from 5 to 4",
                        "Scaled up replica set web-8569cf94d from 2 to 3",
                        "Scaled up replica set web-64c966cf88 from 4 to 7",
                        "Scaled up replica set web-8569cf94d from 3 to 6"),
                scalingEvents());

        // kubectl rollout undo: a JSON patch of the template (hash label removed) and the annotations
        ObjectNode template =
                (ObjectNode) admin.get(OLD_RS).json().at("/spec/template").deepCopy();
        ((ObjectNode) template.at("/metadata/labels")).remove("pod-template-hash");
        // kubectl marshals the template's zero creationTimestamp as null
        ((ObjectNode) template.get("metadata")).putNull("creationTimestamp");
        String undo = "[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":" + template
                + "},{\"op\":\"replace\",\"path\":\"/metadata/annotations\",\"value\":"
                + "{\"deployment.kubernetes.io/revision\":\"2\"}}]";
        assertEquals(
                200,
                admin.patch(NS + "deployments/web", undo, "application/json-patch+json")
                        .code());
        JsonNode rolledBack = until(OLD_RS, "/metadata/annotations/deployment.kubernetes.io~1revision", "3");
        assertEquals("1", annotation(rolledBack, DeploymentUtil.REVISION_HISTORY));
        assertEquals(7, rolledBack.at("/spec/replicas").asInt());
        JsonNode d = until(NS + "deployments/web", "/metadata/annotations/deployment.kubernetes.io~1revision", "3");
        assertTrue(d.at("/spec/template/metadata/labels/pod-template-hash").isMissingNode());
        assertTrue(d.at("/spec/template/metadata/creationTimestamp").isMissingNode());
        // the rollback's new ReplicaSet has 7 of 10, the other keeps 6: nothing is available, nothing moves
        assertEquals(6, admin.get(NEW_RS).json().at("/spec/replicas").asInt());
    }

    @Test
    void revisionHistoryLimitDeletesOldEmptyReplicaSets() {
        String hist = "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"hist\"},\"spec\":"
                + "{\"replicas\":0,\"revisionHistoryLimit\":1,\"selector\":{\"matchLabels\":{\"app\":\"hist\"}},"
                + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"hist\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox:1\"}]}}}}";
        assertEquals(201, admin.post(NS + "deployments", hist).code());
        until(NS + "deployments/hist", "/metadata/annotations/deployment.kubernetes.io~1revision", "1");
        for (String image : List.of("busybox:2", "busybox:3")) {
            assertEquals(
                    200,
                    admin.patch(
                                    NS + "deployments/hist",
                                    "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\""
                                            + image + "\"}]}}}}",
                                    "application/strategic-merge-patch+json")
                            .code());
            until(
                    NS + "deployments/hist",
                    "/metadata/annotations/deployment.kubernetes.io~1revision",
                    image.substring(image.length() - 1));
        }
        JsonNode sets = TestApiServer.eventually(
                        () -> admin.get(NS + "replicasets?labelSelector=app%3Dhist"),
                        r -> r.json().path("items").size() == 2)
                .json();
        List<String> revisions = new ArrayList<>();
        sets.path("items").forEach(rs -> revisions.add(annotation(rs, DeploymentUtil.REVISION)));
        revisions.sort(String::compareTo);
        assertEquals(List.of("2", "3"), revisions);
        JsonNode d = until(NS + "deployments/hist", "/status/conditions/1/reason", "NewReplicaSetAvailable");
        assertEquals("Available", d.at("/status/conditions/0/type").asText());
        assertEquals(
                "MinimumReplicasAvailable", d.at("/status/conditions/0/reason").asText());
    }
}
