package io.kubetwin.apiserver.controllers;

import static io.kubetwin.apiserver.testing.TestApiServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kube-controller-manager stand-ins seen through the API, with what the reference (v1.34.4, run with
 * --use-service-account-credentials) shows for the same steps.
 */
class ControllersTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    @Test
    void everyNamespaceGetsADefaultServiceAccountAndTheRootCaConfigMap() {
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces",
                                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team-a\"}}")
                        .code());
        ApiClient.Response sa =
                eventually(() -> admin.get("/api/v1/namespaces/team-a/serviceaccounts/default"), r -> r.code() == 200);
        assertEquals(
                List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp"),
                names(sa.json().get("metadata")));
        assertEquals(List.of("kind", "apiVersion", "metadata"), names(sa.json()));

        ApiClient.Response cm = eventually(
                () -> admin.get("/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt"), r -> r.code() == 200);
        assertEquals(
                cluster.server().clusterCa().certificatePem(),
                cm.json().at("/data/ca.crt").asText());
        assertEquals(
                "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as "
                        + "the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of "
                        + "Kubernetes clusters.",
                cm.json().at("/metadata/annotations/kubernetes.io~1description").asText());

        // deleted, both come back; changed, the ConfigMap is restored
        String uid = sa.json().at("/metadata/uid").asText();
        assertEquals(
                200,
                admin.delete("/api/v1/namespaces/team-a/serviceaccounts/default")
                        .code());
        ApiClient.Response again = eventually(
                () -> admin.get("/api/v1/namespaces/team-a/serviceaccounts/default"),
                r -> r.code() == 200 && !r.json().at("/metadata/uid").asText().equals(uid));
        assertNotEquals(uid, again.json().at("/metadata/uid").asText());
        assertEquals(
                200,
                admin.patch(
                                "/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt",
                                "{\"data\":{\"ca.crt\":\"forged\"}}",
                                "application/merge-patch+json")
                        .code());
        eventually(
                () -> admin.get("/api/v1/namespaces/team-a/configmaps/kube-root-ca.crt"),
                r -> r.json()
                        .at("/data/ca.crt")
                        .asText()
                        .equals(cluster.server().clusterCa().certificatePem()));
    }

    @Test
    void kubeSystemHoldsTheControllersServiceAccounts() {
        ApiClient.Response list = eventually(
                () -> admin.get("/api/v1/namespaces/kube-system/serviceaccounts"),
                r -> r.json().get("items").size() == ControllerServiceAccounts.NAMES.size() + 1);
        List<String> names = new ArrayList<>();
        list.json().get("items").forEach(i -> names.add(i.at("/metadata/name").asText()));
        List<String> expected = new ArrayList<>(ControllerServiceAccounts.NAMES);
        expected.add("default");
        expected.sort(String::compareTo);
        assertEquals(expected, names);
    }

    @Test
    void aggregatedClusterRolesFollowTheRolesTheirSelectorsMatch() {
        String base = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
        assertEquals(201, admin.post(base, """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"monitoring"},
                 "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"example.com/aggregate-to-monitoring":"true"}}]}}""").code());
        assertEquals(201, admin.post(base, """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"monitoring-endpoints",
                  "labels":{"example.com/aggregate-to-monitoring":"true"}},
                 "rules":[{"apiGroups":[""],"resources":["services","endpoints","pods"],"verbs":["get","list","watch"]}]}""").code());
        ApiClient.Response aggregated = eventually(
                () -> admin.get(base + "/monitoring"),
                r -> r.json().path("rules").size() == 1);
        assertEquals(
                "[{\"verbs\":[\"get\",\"list\",\"watch\"],\"apiGroups\":[\"\"],\"resources\":[\"services\",\"endpoints\",\"pods\"]}]",
                aggregated.json().get("rules").toString());

        // the edit role picks up what is labelled aggregate-to-edit, and admin inherits it through edit
        assertEquals(201, admin.post(base, """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"widgets-edit",
                  "labels":{"rbac.authorization.k8s.io/aggregate-to-edit":"true"}},
                 "rules":[{"apiGroups":["example.com"],"resources":["widgets"],"verbs":["create"]}]}""").code());
        for (String role : List.of("edit", "admin")) {
            eventually(
                    () -> admin.get(base + "/" + role), r -> contains(r.json().get("rules"), "example.com", "widgets"));
        }
    }

    private static boolean contains(JsonNode rules, String group, String resource) {
        for (JsonNode rule : rules) {
            if (rule.path("apiGroups").toString().contains("\"" + group + "\"")
                    && rule.path("resources").toString().contains(resource)) {
                return true;
            }
        }
        return false;
    }

    static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
