package io.kubetwin.scan.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The audit-event fields a rule condition may read: a subset of Falco's k8saudit plugin fields, with its names
 * (falcosecurity/plugins, {@code plugins/k8saudit/pkg/k8saudit/fields.go} and {@code extract.go}), each with where it is in an
 * audit.k8s.io/v1 event and the lowest audit level whose events carry it: request bodies ({@code ka.req.*}) need
 * Request, response bodies ({@code ka.resp.*}) RequestResponse, everything else Metadata. A field may have several
 * values (one per container, volume, rule); a missing field has none.
 *
 * @param name   the Falco name, e.g. {@code ka.target.subresource}
 * @param needs  the lowest level whose events carry it
 * @param values its values in one event
 */
public record AuditField(String name, AuditLevel needs, Function<JsonNode, List<String>> values) {

    /** Every field, by name. */
    public static final Map<String, AuditField> ALL = table();

    private static Map<String, AuditField> table() {
        var t = new TreeMap<String, AuditField>();
        meta(t, "ka.auditid", "auditID");
        meta(t, "ka.stage", "stage");
        meta(t, "ka.auth.decision", "annotations", "authorization.k8s.io/decision");
        meta(t, "ka.auth.reason", "annotations", "authorization.k8s.io/reason");
        meta(t, "ka.user.name", "user", "username");
        meta(t, "ka.user.groups", "user", "groups", "[]");
        meta(t, "ka.impuser.name", "impersonatedUser", "username");
        meta(t, "ka.verb", "verb");
        meta(t, "ka.uri", "requestURI");
        meta(t, "ka.target.name", "objectRef", "name");
        meta(t, "ka.target.namespace", "objectRef", "namespace");
        meta(t, "ka.target.resource", "objectRef", "resource");
        meta(t, "ka.target.subresource", "objectRef", "subresource");
        meta(t, "ka.response.code", "responseStatus", "code");
        meta(t, "ka.response.reason", "responseStatus", "reason");
        meta(t, "ka.useragent", "userAgent");
        meta(t, "ka.sourceips", "sourceIPs", "[]");
        body(t, "ka.req.binding.subjects", "subjects", "[]", "name");
        body(t, "ka.req.binding.role", "roleRef", "name");
        body(t, "ka.req.configmap.name", "metadata", "name");
        body(t, "ka.req.pod.containers.image", "spec", "containers", "[]", "image");
        body(t, "ka.req.pod.host_ipc", "spec", "hostIPC");
        body(t, "ka.req.pod.host_network", "spec", "hostNetwork");
        body(t, "ka.req.pod.host_pid", "spec", "hostPID");
        body(t, "ka.req.pod.containers.privileged", "spec", "containers", "[]", "securityContext", "privileged");
        body(t, "ka.req.pod.volumes.hostpath", "spec", "volumes", "[]", "hostPath", "path");
        body(t, "ka.req.role.rules.apiGroups", "rules", "[]", "apiGroups", "[]");
        body(t, "ka.req.role.rules.verbs", "rules", "[]", "verbs", "[]");
        body(t, "ka.req.role.rules.resources", "rules", "[]", "resources", "[]");
        // the entire ConfigMap object as JSON text, for substring tests
        t.put(
                "ka.req.configmap.obj",
                new AuditField(
                        "ka.req.configmap.obj",
                        AuditLevel.Request,
                        e -> "configmaps"
                                                .equals(e.path("objectRef")
                                                        .path("resource")
                                                        .asText())
                                        && e.path("requestObject").isObject()
                                ? List.of(e.path("requestObject").toString())
                                : List.of()));
        t.put(
                "ka.resp.name",
                new AuditField(
                        "ka.resp.name",
                        AuditLevel.RequestResponse,
                        e -> values(e, "responseObject", "metadata", "name")));
        return Map.copyOf(t);
    }

    private static void meta(Map<String, AuditField> t, String name, String... path) {
        t.put(name, new AuditField(name, AuditLevel.Metadata, e -> values(e, path)));
    }

    private static void body(Map<String, AuditField> t, String name, String... path) {
        var full = new String[path.length + 1];
        full[0] = "requestObject";
        System.arraycopy(path, 0, full, 1, path.length);
        t.put(name, new AuditField(name, AuditLevel.Request, e -> values(e, full)));
    }

    /** The values at {@code path}; {@code []} steps into every element of an array. */
    static List<String> values(JsonNode node, String... path) {
        var out = new ArrayList<String>();
        collect(node, Arrays.asList(path), out);
        return out;
    }

    private static void collect(JsonNode node, List<String> path, List<String> out) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return;
        }
        if (path.isEmpty()) {
            if (!node.isContainerNode()) {
                out.add(node.asText());
            }
            return;
        }
        var rest = path.subList(1, path.size());
        if (path.get(0).equals("[]")) {
            node.forEach(n -> collect(n, rest, out));
        } else {
            collect(node.get(path.get(0)), rest, out);
        }
    }
}
