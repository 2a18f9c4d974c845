package io.kubetwin.apiserver.apiextensions;

import static io.kubetwin.apiserver.testing.TestApiServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A CustomResourceDefinition's life over TLS, compared with the reference (kube-apiserver v1.34.4): accepted
 * and established, discovered, its objects pruned, type-checked, listed, scaled and governed by RBAC like
 * any resource, then deleted with its objects.
 */
class CrdApiTest {
    private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final String WIDGETS = "/apis/example.com/v1/namespaces/default/widgets";
    private static final String WIDGET_CRD = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced",
              "names":{"kind":"Widget","plural":"widgets","shortNames":["wd"],"categories":["all"]},
              "versions":[{"name":"v1","served":true,"storage":true,
                "subresources":{"status":{},"scale":{"specReplicasPath":".spec.replicas","statusReplicasPath":".status.replicas"}},
                "schema":{"openAPIV3Schema":{"type":"object","properties":{
                  "spec":{"type":"object","properties":{"size":{"type":"integer"},"color":{"type":"string"},"replicas":{"type":"integer"}}},
                  "status":{"type":"object","properties":{"replicas":{"type":"integer"}}}}}}}]}}
            """;

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    @Test
    void aCrdIsServedDiscoveredRbacGovernedAndDeletedWithItsObjects() {
        ApiClient.Response created = admin.post(CRDS, WIDGET_CRD);
        assertEquals(201, created.code(), created.body());
        JsonNode spec = created.json().get("spec");
        assertEquals(
                "{\"plural\":\"widgets\",\"singular\":\"widget\",\"shortNames\":[\"wd\"],\"kind\":\"Widget\","
                        + "\"listKind\":\"WidgetList\",\"categories\":[\"all\"]}",
                spec.get("names").toString(),
                "v1 defaults");
        assertEquals("{\"strategy\":\"None\"}", spec.get("conversion").toString());
        assertEquals(
                "{\"conditions\":null,\"acceptedNames\":{\"plural\":\"\",\"kind\":\"\"},\"storedVersions\":[\"v1\"]}",
                created.json().get("status").toString());

        ApiClient.Response established = eventually(
                () -> admin.get(CRDS + "/widgets.example.com"),
                r -> r.json().path("status").path("conditions").size() == 2);
        JsonNode conditions = established.json().at("/status/conditions");
        assertEquals("NamesAccepted True NoConflicts no conflicts found", condition(conditions.get(0)));
        assertEquals(
                "Established True InitialNamesAccepted the initial names have been accepted",
                condition(conditions.get(1)));
        assertEquals(spec.get("names"), established.json().at("/status/acceptedNames"));

        ApiClient.Response discovery = admin.get("/apis/example.com/v1");
        assertEquals(200, discovery.code());
        JsonNode resources = discovery.json().get("resources");
        assertEquals(
                "{\"name\":\"widgets\",\"singularName\":\"widget\",\"namespaced\":true,\"kind\":\"Widget\","
                        + "\"verbs\":[\"delete\",\"deletecollection\",\"get\",\"list\",\"patch\",\"create\",\"update\",\"watch\"],"
                        + "\"shortNames\":[\"wd\"],\"categories\":[\"all\"],\"storageVersionHash\":\"gIwvi5rymmg=\"}",
                resources.get(0).toString());
        assertEquals(
                "{\"name\":\"widgets/scale\",\"singularName\":\"\",\"namespaced\":true,\"group\":\"autoscaling\","
                        + "\"version\":\"v1\",\"kind\":\"Scale\",\"verbs\":[\"get\",\"patch\",\"update\"]}",
                resources.get(2).toString());

        // unknown fields are pruned, status is the status subresource's, keys come back sorted
        ApiClient.Response w1 = admin.post(WIDGETS, """
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w1"},
                 "spec":{"size":3,"color":"red","unknown":"x"},"status":{"replicas":5},"extra":"top"}""");
        assertEquals(201, w1.code(), w1.body());
        assertEquals("{\"color\":\"red\",\"size\":3}", w1.json().get("spec").toString());
        assertEquals(List.of("apiVersion", "kind", "metadata", "spec"), names(w1.json()));
        assertEquals(
                List.of(
                        "creationTimestamp",
                        "generation",
                        "managedFields",
                        "name",
                        "namespace",
                        "resourceVersion",
                        "uid"),
                names(w1.json().get("metadata")));
        assertEquals(
                "{\"f:spec\":{\".\":{},\"f:color\":{},\"f:size\":{}}}",
                w1.json().at("/metadata/managedFields/0/fieldsV1").toString());

        ApiClient.Response invalid = admin.post(WIDGETS, """
                {"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w2"},"spec":{"size":"big","color":7,"replicas":1.5}}""");
        assertEquals(422, invalid.code());
        assertEquals(
                "Widget.example.com \"w2\" is invalid: [spec.color: Invalid value: \"integer\": spec.color in body must be "
                        + "of type string: \"integer\", spec.replicas: Invalid value: \"number\": spec.replicas in body must be of type "
                        + "integer: \"number\", spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\", "
                        + ".spec.replicas: Invalid value: 0: .spec.replicas accessor error: 1.5 is of the type float64, expected int64]",
                invalid.message());
        assertEquals(
                "FieldValueTypeInvalid",
                invalid.json().at("/details/causes/0/reason").asText());

        ApiClient.Response smp =
                admin.patch(WIDGETS + "/w1", "{\"spec\":{\"size\":4}}", "application/strategic-merge-patch+json");
        assertEquals(415, smp.code());
        assertEquals(
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
                smp.message());
        ApiClient.Response merged =
                admin.patch(WIDGETS + "/w1", "{\"spec\":{\"size\":4}}", "application/merge-patch+json");
        assertEquals(2, merged.json().at("/metadata/generation").asInt());
        ApiClient.Response status =
                admin.patch(WIDGETS + "/w1/status", "{\"status\":{\"replicas\":2}}", "application/merge-patch+json");
        assertEquals("{\"replicas\":2}", status.json().get("status").toString());
        assertEquals(2, status.json().at("/metadata/generation").asInt(), "status writes leave the generation");
        ApiClient.Response scale = admin.get(WIDGETS + "/w1/scale");
        assertEquals(500, scale.code());
        assertEquals(
                "Internal error occurred: the spec replicas field \".spec.replicas\" does not exist", scale.message());
        scale = admin.patch(WIDGETS + "/w1/scale", "{\"spec\":{\"replicas\":7}}", "application/merge-patch+json");
        assertEquals(200, scale.code(), scale.body());
        assertEquals("{\"replicas\":7}", scale.json().get("spec").toString());
        assertEquals("{\"replicas\":2}", scale.json().get("status").toString());

        ApiClient.Response list = admin.get(WIDGETS);
        assertEquals(List.of("apiVersion", "items", "kind", "metadata"), names(list.json()));
        assertEquals("WidgetList", list.json().get("kind").asText());
        assertEquals("", list.json().at("/metadata/continue").asText(null));
        assertEquals("Widget", list.json().at("/items/0/kind").asText());

        // RBAC governs custom resources like any other: a Role on widgets in example.com
        assertEquals(
                201,
                admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"widget-reader"},
                 "rules":[{"apiGroups":["example.com"],"resources":["widgets"],"verbs":["get","list"]}]}""")
                        .code());
        assertEquals(
                201,
                admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"alice-widgets"},
                 "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"widget-reader"},
                 "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"}]}""")
                        .code());
        ApiClient alice = cluster.as("alice");
        assertEquals(200, alice.get(WIDGETS).code());
        assertEquals(
                "w1", alice.get(WIDGETS + "/w1").json().at("/metadata/name").asText());
        ApiClient.Response delete = alice.delete(WIDGETS + "/w1");
        assertEquals(403, delete.code());
        assertEquals(
                "widgets.example.com \"w1\" is forbidden: User \"alice\" cannot delete resource \"widgets\" in API group "
                        + "\"example.com\" in the namespace \"default\"",
                delete.message());
        ApiClient.Response bob = cluster.as("bob").get(WIDGETS + "/w1/status");
        assertEquals(403, bob.code());
        assertEquals(
                "widgets.example.com \"w1\" is forbidden: User \"bob\" cannot get resource \"widgets/status\" in API group "
                        + "\"example.com\" in the namespace \"default\"",
                bob.message());

        // deleting the CRD: cleanup finalizer and Terminating condition first, then objects and type disappear
        ApiClient.Response deleted = admin.delete(CRDS + "/widgets.example.com");
        assertEquals(200, deleted.code(), deleted.body());
        assertEquals(
                "[\"customresourcecleanup.apiextensions.k8s.io\"]",
                deleted.json().at("/metadata/finalizers").toString());
        assertTrue(deleted.json().at("/metadata").has("deletionTimestamp"));
        assertEquals(
                "Terminating True InstanceDeletionPending CustomResourceDefinition marked for deletion; CustomResource "
                        + "deletion will begin soon",
                condition(deleted.json().at("/status/conditions/2")));
        eventually(() -> admin.get(CRDS + "/widgets.example.com"), r -> r.code() == 404);
        ApiClient.Response gone = eventually(() -> admin.get(WIDGETS), r -> r.code() == 404);
        assertEquals("404 page not found\n", gone.body());
        assertEquals(
                0,
                cluster.server()
                        .storage()
                        .list(new ResourceKey("example.com", "widgets"), null)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .join()
                        .items()
                        .size());
    }

    @Test
    void namesHeldByAnotherCrdOfTheGroupAreNotAccepted() {
        String gizmos = """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"%s.conflict.example"},
                 "spec":{"group":"conflict.example","scope":"Cluster","names":{"kind":"%s","plural":"%s","shortNames":["gz"]},
                  "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
                    "x-kubernetes-preserve-unknown-fields":true}}}]}}""";
        assertEquals(
                201,
                admin.post(CRDS, gizmos.formatted("gizmos", "Gizmo", "gizmos")).code());
        eventually(
                () -> admin.get(CRDS + "/gizmos.conflict.example"),
                r -> r.json().at("/status/conditions").size() == 2);
        assertEquals(
                201,
                admin.post(CRDS, gizmos.formatted("gadgets", "Gadget", "gadgets"))
                        .code());
        ApiClient.Response second = eventually(
                () -> admin.get(CRDS + "/gadgets.conflict.example"),
                r -> r.json().at("/status/conditions").size() == 2);
        assertEquals(
                "NamesAccepted False ShortNamesConflict \"gz\" is already in use",
                condition(second.json().at("/status/conditions/0")));
        assertEquals(
                "Established False NotAccepted not all names are accepted",
                condition(second.json().at("/status/conditions/1")));
        assertEquals(404, admin.get("/apis/conflict.example/v1/gadgets").code());
        assertEquals(200, admin.get("/apis/conflict.example/v1/gizmos").code());
    }

    private static String condition(JsonNode c) {
        return c.get("type").asText() + " " + c.get("status").asText() + " "
                + c.get("reason").asText() + " " + c.get("message").asText();
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
