package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** rbacv1.ClusterRoleBinding: grants a ClusterRole cluster-wide. */
public record ClusterRoleBinding(
        String name,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<Subject> subjects,
        RoleRef roleRef) {
    public static final String KIND = "ClusterRoleBinding";

    public ClusterRoleBinding {
        name = name == null ? "" : name;
        labels = Json.copy(labels);
        annotations = Json.copy(annotations);
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
        roleRef = roleRef == null ? new RoleRef("", "", "") : roleRef;
    }

    public static ClusterRoleBinding of(String name, RoleRef roleRef, Subject... subjects) {
        return new ClusterRoleBinding(name, Map.of(), Map.of(), List.of(subjects), roleRef);
    }

    public static ClusterRoleBinding fromJson(JsonNode node) {
        JsonNode meta = node.get("metadata");
        return new ClusterRoleBinding(
                Json.text(meta, "name"),
                Json.stringMap(meta, "labels"),
                Json.stringMap(meta, "annotations"),
                RoleBinding.subjectsFromJson(node),
                RoleRef.fromJson(node.get("roleRef")));
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.typeHeader(KIND);
        node.set("metadata", Json.metadata(name, "", labels, annotations));
        RoleBinding.subjectsToJson(node, subjects);
        node.set("roleRef", roleRef.toJson());
        return node;
    }
}
