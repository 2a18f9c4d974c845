package io.kubetwin.scenarios.runner;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * REST paths for the kinds suites create. A small fixed table rather than discovery: the runner must not depend on
 * discovery working on the target under test.
 */
public final class ObjectPaths {

    private record Kind(String resource, boolean namespaced) {}

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("Namespace", new Kind("namespaces", false)),
            Map.entry("Node", new Kind("nodes", false)),
            Map.entry("Pod", new Kind("pods", true)),
            Map.entry("Secret", new Kind("secrets", true)),
            Map.entry("ConfigMap", new Kind("configmaps", true)),
            Map.entry("ServiceAccount", new Kind("serviceaccounts", true)),
            Map.entry("Service", new Kind("services", true)),
            Map.entry("Role", new Kind("roles", true)),
            Map.entry("RoleBinding", new Kind("rolebindings", true)),
            Map.entry("ClusterRole", new Kind("clusterroles", false)),
            Map.entry("ClusterRoleBinding", new Kind("clusterrolebindings", false)),
            Map.entry("CertificateSigningRequest", new Kind("certificatesigningrequests", false)),
            Map.entry("ValidatingWebhookConfiguration", new Kind("validatingwebhookconfigurations", false)),
            Map.entry("MutatingWebhookConfiguration", new Kind("mutatingwebhookconfigurations", false)),
            Map.entry("Deployment", new Kind("deployments", true)),
            Map.entry("Lease", new Kind("leases", true)),
            Map.entry("RuntimeClass", new Kind("runtimeclasses", false)));

    private ObjectPaths() {}

    /** The collection path an object is created in, e.g. {@code /apis/rbac.authorization.k8s.io/v1/namespaces/x/roles}. */
    public static String collection(JsonNode object) {
        var apiVersion = object.path("apiVersion").asText();
        var kindName = object.path("kind").asText();
        var kind = KINDS.get(kindName);
        if (kind == null) {
            throw new IllegalArgumentException("runner does not know the REST path of kind " + kindName);
        }
        var prefix = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
        var namespace = object.path("metadata").path("namespace").asText("");
        if (kind.namespaced()) {
            if (namespace.isEmpty()) {
                namespace = "default";
            }
            return prefix + "/namespaces/" + namespace + "/" + kind.resource();
        }
        return prefix + "/" + kind.resource();
    }

    /** The path of the object itself. */
    public static String item(JsonNode object) {
        return collection(object) + "/" + object.path("metadata").path("name").asText();
    }
}
