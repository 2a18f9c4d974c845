package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DELETE with each propagation policy and the garbage collector behind it, over TLS, with the answers and the order
 * of watch events the reference (kube-apiserver and kube-controller-manager v1.34.4) gave for the same steps.
 */
class GarbageCollectorTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiClient admin = cluster.admin();

    private static final String CM = "/api/v1/namespaces/default/configmaps/";

    private String create(String name, String ownerName, String ownerUid, boolean block) {
        String refs = ownerUid == null
                ? ""
                : ",\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"" + ownerName
                        + "\",\"uid\":\"" + ownerUid + "\"" + (block ? ",\"blockOwnerDeletion\":true" : "") + "}]";
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"" + name + "\"" + refs + "}}");
        assertEquals(201, r.code(), r.body());
        return r.json().at("/metadata/uid").asText();
    }

    private void gone(String path) {
        TestApiServer.eventually(() -> admin.get(path), r -> r.code() == 404);
    }

    @Test
    void foregroundDeletesBlockingDependentsFirst() throws Exception {
        String owner = create("fg-owner", null, null, false);
        create("fg-dep", "fg-owner", owner, true);
        String rv = admin.get("/api/v1/namespaces/default/configmaps")
                .json()
                .at("/metadata/resourceVersion")
                .asText();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        var watch = admin.streamLines(
                "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=3&resourceVersion=" + rv, line -> {
                    JsonNode e;
                    try {
                        e = JSON.readTree(line);
                    } catch (JsonProcessingException x) {
                        throw new IllegalStateException(x);
                    }
                    events.add(e.path("type").asText() + " "
                            + e.at("/object/metadata/name").asText() + " " + e.at("/object/metadata/finalizers"));
                });

        ApiClient.Response r =
                admin.send("DELETE", CM + "fg-owner", "{\"propagationPolicy\":\"Foreground\"}", "application/json");
        assertEquals(200, r.code());
        JsonNode meta = r.json().get("metadata");
        assertEquals(
                List.of(
                        "name",
                        "namespace",
                        "uid",
                        "resourceVersion",
                        "creationTimestamp",
                        "deletionTimestamp",
                        "deletionGracePeriodSeconds",
                        "finalizers"),
                ControllersTest.names(meta));
        assertEquals("[\"foregroundDeletion\"]", meta.get("finalizers").toString());
        assertEquals(0, meta.get("deletionGracePeriodSeconds").asInt());

        gone(CM + "fg-owner");
        watch.get(10, TimeUnit.SECONDS);
        // the reference: the owner marked, its blocking dependent deleted, then the owner (as last stored)
        assertEquals(
                List.of(
                        "MODIFIED fg-owner [\"foregroundDeletion\"]",
                        "DELETED fg-dep ",
                        "DELETED fg-owner [\"foregroundDeletion\"]"),
                events);
    }

    @Test
    void orphanRemovesTheOwnerReferencesAndKeepsDependents() {
        String owner = create("or-owner", null, null, false);
        create("or-dep", "or-owner", owner, true);
        ApiClient.Response r = admin.delete(CM + "or-owner?propagationPolicy=Orphan");
        assertEquals(200, r.code());
        assertEquals("[\"orphan\"]", r.json().at("/metadata/finalizers").toString());
        gone(CM + "or-owner");
        ApiClient.Response dep = TestApiServer.eventually(
                () -> admin.get(CM + "or-dep"), d -> !d.json().path("metadata").has("ownerReferences"));
        // the dependent's only managed field went with the reference, so its managedFields entry too (as the reference)
        assertEquals(
                List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp"),
                ControllersTest.names(dep.json().get("metadata")));
    }

    @Test
    void backgroundIsTheDefaultAndDependentsFollowTheOwner() {
        String owner = create("bg-owner", null, null, false);
        create("bg-dep", "bg-owner", owner, false);
        ApiClient.Response r = admin.delete(CM + "bg-owner");
        assertEquals(200, r.code());
        assertEquals("Status", r.json().path("kind").asText());
        gone(CM + "bg-dep");
    }

    @Test
    void dependentsOfMissingOrMismatchedOwnersAreCollected() {
        create("dangling", "nothere", "00000000-0000-0000-0000-000000000001", false);
        gone(CM + "dangling");
        String realUid = create("real-owner", null, null, false);
        // same name, other UID: dangling too
        create("wrong-uid", "real-owner", "00000000-0000-0000-0000-000000000002", false);
        gone(CM + "wrong-uid");
        // an owner in another namespace is looked up in the dependent's: not found there
        assertEquals(
                201,
                admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"gc-other\"}}")
                        .code());
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces/gc-other/configmaps",
                                "{\"metadata\":{\"name\":\"cross\",\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":"
                                        + "\"ConfigMap\",\"name\":\"real-owner\",\"uid\":\"" + realUid + "\"}]}}")
                        .code());
        gone("/api/v1/namespaces/gc-other/configmaps/cross");
        // a cluster-scoped object cannot have a namespaced owner: left alone
        assertEquals(
                201,
                admin.post(
                                "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                                "{\"metadata\":{\"name\":\"gc-cluster-dep\",\"ownerReferences\":[{\"apiVersion\":\"v1\","
                                        + "\"kind\":\"ConfigMap\",\"name\":\"real-owner\",\"uid\":\"" + realUid
                                        + "\"}]}}")
                        .code());
        // a namespaced object with a cluster-scoped owner: kept while it exists, collected once it is gone
        String crUid = admin.post(
                        "/apis/rbac.authorization.k8s.io/v1/clusterroles", "{\"metadata\":{\"name\":\"gc-cr-owner\"}}")
                .json()
                .at("/metadata/uid")
                .asText();
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces/default/configmaps",
                                "{\"metadata\":{\"name\":\"cr-dep\",\"ownerReferences\":[{\"apiVersion\":"
                                        + "\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"name\":\"gc-cr-owner\","
                                        + "\"uid\":\"" + crUid + "\"}]}}")
                        .code());
        assertEquals(200, admin.delete(CM + "real-owner").code());
        assertEquals(
                200,
                admin.delete("/apis/rbac.authorization.k8s.io/v1/clusterroles/gc-cr-owner")
                        .code());
        gone(CM + "cr-dep");
        assertEquals(
                200,
                admin.get("/apis/rbac.authorization.k8s.io/v1/clusterroles/gc-cluster-dep")
                        .code());
    }

    @Test
    void jobsOfBatchV1AreOrphaningByDefaultWithTheWarning() {
        ApiClient.Response job = admin.post(
                "/apis/batch/v1/namespaces/default/jobs",
                "{\"metadata\":{\"name\":\"j1\"},\"spec\":{\"suspend\":true,\"template\":{\"spec\":{\"restartPolicy\":"
                        + "\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}");
        assertEquals(201, job.code(), job.body());
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces/default/configmaps",
                                "{\"metadata\":{\"name\":\"job-dep\",\"ownerReferences\":[{\"apiVersion\":\"batch/v1\","
                                        + "\"kind\":\"Job\",\"name\":\"j1\",\"uid\":\""
                                        + job.json().at("/metadata/uid").asText() + "\"}]}}")
                        .code());
        ApiClient.Response r = admin.delete("/apis/batch/v1/namespaces/default/jobs/j1");
        assertEquals(200, r.code());
        assertEquals(
                "299 - \"child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to "
                        + "remove them or set propagationPolicy=Orphan to suppress this warning\"",
                r.header("Warning"));
        assertEquals("Job", r.json().path("kind").asText());
        assertEquals("[\"orphan\"]", r.json().at("/metadata/finalizers").toString());
        gone("/apis/batch/v1/namespaces/default/jobs/j1");
        TestApiServer.eventually(
                () -> admin.get(CM + "job-dep"), d -> !d.json().path("metadata").has("ownerReferences"));
    }

    @Test
    void finalizersHoldAnObjectUntilTheyAreRemoved() {
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces/default/configmaps",
                                "{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/x\"]}}")
                        .code());
        ApiClient.Response first = admin.delete(CM + "held");
        assertEquals(200, first.code());
        JsonNode meta = first.json().get("metadata");
        assertEquals("ConfigMap", first.json().path("kind").asText());
        assertEquals(0, meta.path("deletionGracePeriodSeconds").asInt(-1));
        assertFalse(meta.path("deletionTimestamp").asText().isEmpty());
        // a second DELETE changes nothing and writes nothing
        ApiClient.Response second = admin.delete(CM + "held");
        assertEquals(200, second.code());
        assertEquals(meta.get("resourceVersion"), second.json().at("/metadata/resourceVersion"));
        // both legacy and new options at once: the reference's 422
        ApiClient.Response both = admin.send(
                "DELETE",
                CM + "held",
                "{\"orphanDependents\":true,\"propagationPolicy\":\"Orphan\"}",
                "application/json");
        assertEquals(422, both.code());
        assertEquals(
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"Orphan\": orphanDependents "
                        + "and deletionPropagation cannot be both set",
                both.message());
        ApiClient.Response patched =
                admin.patch(CM + "held", "{\"metadata\":{\"finalizers\":null}}", "application/merge-patch+json");
        assertEquals(200, patched.code());
        assertEquals(404, admin.get(CM + "held").code());
    }
}
