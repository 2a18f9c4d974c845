package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** rbacv1.Role: namespaced rules. */
public record Role(
        String namespace,
        String name,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<PolicyRule> rules) {
    public static final String KIND = "Role";

    public Role {
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        labels = Json.copy(labels);
        annotations = Json.copy(annotations);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public static Role of(String namespace, String name, PolicyRule... rules) {
        return new Role(namespace, name, Map.of(), Map.of(), List.of(rules));
    }

    public static Role fromJson(JsonNode node) {
        JsonNode meta = node.get("metadata");
        return new Role(
                Json.text(meta, "namespace"),
                Json.text(meta, "name"),
                Json.stringMap(meta, "labels"),
                Json.stringMap(meta, "annotations"),
                rulesFromJson(node));
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.typeHeader(KIND);
        node.set("metadata", Json.metadata(name, namespace, labels, annotations));
        node.set("rules", rulesToJson(rules));
        return node;
    }

    static List<PolicyRule> rulesFromJson(JsonNode node) {
        return Json.objects(node, "rules").stream().map(PolicyRule::fromJson).toList();
    }

    static ArrayNode rulesToJson(List<PolicyRule> rules) {
        ArrayNode array = Json.NODES.arrayNode(rules.size());
        rules.forEach(r -> array.add(r.toJson()));
        return array;
    }
}
