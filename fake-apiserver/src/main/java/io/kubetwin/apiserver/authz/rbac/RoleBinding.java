package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** rbacv1.RoleBinding: grants a Role or ClusterRole inside its namespace. */
public record RoleBinding(
        String namespace,
        String name,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<Subject> subjects,
        RoleRef roleRef) {
    public static final String KIND = "RoleBinding";

    public RoleBinding {
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        labels = Json.copy(labels);
        annotations = Json.copy(annotations);
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
        roleRef = roleRef == null ? new RoleRef("", "", "") : roleRef;
    }

    public static RoleBinding of(String namespace, String name, RoleRef roleRef, Subject... subjects) {
        return new RoleBinding(namespace, name, Map.of(), Map.of(), List.of(subjects), roleRef);
    }

    public static RoleBinding fromJson(JsonNode node) {
        JsonNode meta = node.get("metadata");
        return new RoleBinding(
                Json.text(meta, "namespace"),
                Json.text(meta, "name"),
                Json.stringMap(meta, "labels"),
                Json.stringMap(meta, "annotations"),
                subjectsFromJson(node),
                RoleRef.fromJson(node.get("roleRef")));
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.typeHeader(KIND);
        node.set("metadata", Json.metadata(name, namespace, labels, annotations));
        subjectsToJson(node, subjects);
        node.set("roleRef", roleRef.toJson());
        return node;
    }

    static List<Subject> subjectsFromJson(JsonNode node) {
        return Json.objects(node, "subjects").stream().map(Subject::fromJson).toList();
    }

    /** subjects is omitempty upstream. */
    static void subjectsToJson(ObjectNode node, List<Subject> subjects) {
        if (!subjects.isEmpty()) {
            ArrayNode array = node.putArray("subjects");
            subjects.forEach(s -> array.add(s.toJson()));
        }
    }
}
