package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * metav1.LabelSelector as used by aggregation rules. Matching follows metav1.LabelSelectorAsSelector
 * (k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go): all requirements must hold; an empty selector matches
 * everything.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    public LabelSelector {
        matchLabels = Json.copy(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public static LabelSelector matchLabels(Map<String, String> labels) {
        return new LabelSelector(labels, List.of());
    }

    public static LabelSelector fromJson(JsonNode node) {
        return new LabelSelector(
                Json.stringMap(node, "matchLabels"),
                Json.objects(node, "matchExpressions").stream()
                        .map(Requirement::fromJson)
                        .toList());
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.NODES.objectNode();
        Json.putIfNotEmpty(node, "matchLabels", matchLabels);
        if (!matchExpressions.isEmpty()) {
            ArrayNode expressions = node.putArray("matchExpressions");
            matchExpressions.forEach(e -> expressions.add(e.toJson()));
        }
        return node;
    }

    /**
     * Whether an object with these labels is selected.
     *
     * @throws IllegalArgumentException when the selector is invalid (unknown operator, values where none are
     *                                  allowed or missing where required), as LabelSelectorAsSelector errors
     */
    public boolean matches(Map<String, String> labels) {
        for (Requirement requirement : matchExpressions) {
            requirement.validate();
        }
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement requirement : matchExpressions) {
            if (!requirement.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** metav1.LabelSelectorRequirement. */
    public record Requirement(String key, String operator, List<String> values) {
        public Requirement {
            key = key == null ? "" : key;
            operator = operator == null ? "" : operator;
            values = values == null ? List.of() : List.copyOf(values);
        }

        static Requirement fromJson(JsonNode node) {
            return new Requirement(Json.text(node, "key"), Json.text(node, "operator"), Json.strings(node, "values"));
        }

        ObjectNode toJson() {
            ObjectNode node = Json.NODES.objectNode();
            node.put("key", key);
            node.put("operator", operator);
            Json.putIfNotEmpty(node, "values", values);
            return node;
        }

        void validate() {
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        throw new IllegalArgumentException(
                                "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        throw new IllegalArgumentException("values: Invalid value: " + values
                                + ": values set must be empty for exists and does not exist");
                    }
                }
                default ->
                    throw new IllegalArgumentException("\"" + operator + "\" is not a valid label selector operator");
            }
        }

        boolean matches(Map<String, String> labels) {
            boolean present = labels.containsKey(key);
            return switch (operator) {
                case "In" -> present && values.contains(labels.get(key));
                case "NotIn" -> !present || !values.contains(labels.get(key));
                case "Exists" -> present;
                case "DoesNotExist" -> !present;
                default -> false;
            };
        }
    }
}
