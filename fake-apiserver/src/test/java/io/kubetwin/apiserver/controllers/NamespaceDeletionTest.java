package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Namespace deletion through the namespace controller, over TLS, with the answers the reference (kube-apiserver and
 * kube-controller-manager v1.34.4) gave for the same steps. Slow by nature: the controller waits 5 s after a
 * namespace changes, and 8 s more while finalizers hold its content, as upstream does.
 */
class NamespaceDeletionTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    /** The namespace controller's delays add up to 13 s and more: polls wait up to 40 s. */
    private static ApiClient.Response eventually(Supplier<ApiClient.Response> call, Predicate<ApiClient.Response> done)
            throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(40);
        ApiClient.Response last = call.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        "condition not reached in 40s; last answer " + last.code() + " " + last.body());
            }
            Thread.sleep(100);
            last = call.get();
        }
        return last;
    }

    /** status.conditions without their lastTransitionTime. */
    private static String conditions(JsonNode ns) {
        ArrayNode copy = ((ArrayNode) ns.at("/status/conditions")).deepCopy();
        copy.forEach(c -> ((ObjectNode) c).remove("lastTransitionTime"));
        return copy.toString();
    }

    private static String condition(String type, String status, String reason, String message) {
        return "{\"type\":\"" + type + "\",\"status\":\"" + status + "\",\"reason\":\"" + reason + "\",\"message\":\""
                + message + "\"}";
    }

    @Test
    void contentIsDeletedAndFinalizersOfContentHoldTheNamespace() throws Exception {
        assertEquals(
                201,
                admin.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"doomed\"}}")
                        .code());
        assertEquals(
                201,
                admin.post("/api/v1/namespaces/doomed/configmaps", "{\"metadata\":{\"name\":\"plain\"}}")
                        .code());
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces/doomed/configmaps",
                                "{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/hold\"]}}")
                        .code());

        ApiClient.Response deleted = admin.delete("/api/v1/namespaces/doomed");
        assertEquals(200, deleted.code());
        JsonNode ns = deleted.json();
        assertEquals(
                List.of(
                        "name",
                        "uid",
                        "resourceVersion",
                        "creationTimestamp",
                        "deletionTimestamp",
                        "labels",
                        "managedFields"),
                ControllersTest.names(ns.get("metadata")));
        assertEquals("{\"finalizers\":[\"kubernetes\"]}", ns.get("spec").toString());
        assertEquals("{\"phase\":\"Terminating\"}", ns.get("status").toString());

        ApiClient.Response late =
                admin.post("/api/v1/namespaces/doomed/configmaps", "{\"metadata\":{\"name\":\"late\"}}");
        assertEquals(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                        + "\"configmaps \\\"late\\\" is forbidden: unable to create new content in namespace doomed because "
                        + "it is being terminated\",\"reason\":\"Forbidden\",\"details\":{\"name\":\"late\",\"kind\":"
                        + "\"configmaps\",\"causes\":[{\"reason\":\"NamespaceTerminating\",\"message\":\"namespace doomed is "
                        + "being terminated\",\"field\":\"metadata.namespace\"}]},\"code\":403}",
                late.json().toString());

        ApiClient.Response terminating = eventually(
                () -> admin.get("/api/v1/namespaces/doomed"),
                r -> r.json().at("/status/conditions").size() == 5);
        assertEquals(
                "["
                        + condition(
                                "NamespaceDeletionDiscoveryFailure",
                                "False",
                                "ResourcesDiscovered",
                                "All resources successfully discovered")
                        + ","
                        + condition(
                                "NamespaceDeletionGroupVersionParsingFailure",
                                "False",
                                "ParsedGroupVersions",
                                "All legacy kube types successfully parsed")
                        + ","
                        + condition(
                                "NamespaceDeletionContentFailure",
                                "False",
                                "ContentDeleted",
                                "All content successfully deleted, may be waiting on finalization")
                        + ","
                        + condition(
                                "NamespaceContentRemaining",
                                "True",
                                "SomeResourcesRemain",
                                "Some resources are remaining: configmaps. has 1 resource instances")
                        + ","
                        + condition(
                                "NamespaceFinalizersRemaining",
                                "True",
                                "SomeFinalizersRemain",
                                "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource "
                                        + "instances")
                        + "]",
                conditions(terminating.json()));
        // the conditions are kube-controller-manager's, written through namespaces/status
        List<String> managers = new java.util.ArrayList<>();
        terminating
                .json()
                .at("/metadata/managedFields")
                .forEach(m -> managers.add(
                        m.path("manager").asText() + " " + m.path("operation").asText() + " "
                                + m.path("subresource").asText("")));
        assertEquals(
                List.of("kubetwin-test Update ", "kube-controller-manager Update status"),
                managers,
                terminating.body());
        assertEquals(
                404, admin.get("/api/v1/namespaces/doomed/configmaps/plain").code());
        JsonNode held = admin.get("/api/v1/namespaces/doomed/configmaps/held").json();
        assertEquals(0, held.at("/metadata/deletionGracePeriodSeconds").asInt(-1));
        assertFalse(held.at("/metadata/deletionTimestamp").isMissingNode());

        assertEquals(
                200,
                admin.patch(
                                "/api/v1/namespaces/doomed/configmaps/held",
                                "{\"metadata\":{\"finalizers\":null}}",
                                "application/merge-patch+json")
                        .code());
        eventually(() -> admin.get("/api/v1/namespaces/doomed"), r -> r.code() == 404);
    }

    @Test
    void aCustomSpecFinalizerKeepsTheNamespaceUntilFinalized() throws Exception {
        ApiClient.Response created = admin.post(
                "/api/v1/namespaces",
                "{\"metadata\":{\"name\":\"kept\"},\"spec\":{\"finalizers\":[\"example.com/ns-hold\"]}}");
        assertEquals(201, created.code());
        assertEquals(
                "[\"example.com/ns-hold\",\"kubernetes\"]",
                created.json().at("/spec/finalizers").toString());
        assertEquals(200, admin.delete("/api/v1/namespaces/kept").code());
        ApiClient.Response finalized = eventually(
                () -> admin.get("/api/v1/namespaces/kept"),
                r -> r.json().at("/spec/finalizers").size() == 1);
        assertEquals(
                "[\"example.com/ns-hold\"]",
                finalized.json().at("/spec/finalizers").toString());
        assertEquals(
                "["
                        + condition(
                                "NamespaceDeletionDiscoveryFailure",
                                "False",
                                "ResourcesDiscovered",
                                "All resources successfully discovered")
                        + ","
                        + condition(
                                "NamespaceDeletionGroupVersionParsingFailure",
                                "False",
                                "ParsedGroupVersions",
                                "All legacy kube types successfully parsed")
                        + ","
                        + condition(
                                "NamespaceDeletionContentFailure",
                                "False",
                                "ContentDeleted",
                                "All content successfully deleted, may be waiting on finalization")
                        + ","
                        + condition(
                                "NamespaceContentRemaining",
                                "False",
                                "ContentRemoved",
                                "All content successfully removed")
                        + ","
                        + condition(
                                "NamespaceFinalizersRemaining",
                                "False",
                                "ContentHasNoFinalizers",
                                "All content-preserving finalizers finished")
                        + "]",
                conditions(finalized.json()));
        assertEquals("Terminating", finalized.json().at("/status/phase").asText());

        ApiClient.Response invalid = admin.put(
                "/api/v1/namespaces/kept/finalize",
                "{\"metadata\":{\"name\":\"kept\"},\"spec\":{\"finalizers\":[\"foo\",\"kubernetes\",\"a/b/c\"]}}");
        assertEquals(422, invalid.code());
        assertEquals(
                "Namespace \"kept\" is invalid: [spec.finalizers[0]: Invalid value: \"foo\": name is neither a standard "
                        + "finalizer name nor is it fully qualified, spec.finalizers[2]: Invalid value: \"a/b/c\": a qualified "
                        + "name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                        + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. "
                        + "'example.com/MyName')]",
                invalid.message());

        assertEquals(
                200,
                admin.put(
                                "/api/v1/namespaces/kept/finalize",
                                "{\"metadata\":{\"name\":\"kept\"},\"spec\":{\"finalizers\":[]}}")
                        .code());
        assertEquals(404, admin.get("/api/v1/namespaces/kept").code());
    }
}
