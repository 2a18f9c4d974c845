package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * rbacv1.ClusterRole. {@code aggregationRule} is null when absent; when present, the clusterrole-aggregation
 * controller owns {@code rules} (see {@link ClusterRoleAggregator}).
 */
public record ClusterRole(
        String name,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<PolicyRule> rules,
        AggregationRule aggregationRule) {
    public static final String KIND = "ClusterRole";

    public ClusterRole {
        name = name == null ? "" : name;
        labels = Json.copy(labels);
        annotations = Json.copy(annotations);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public static ClusterRole of(String name, PolicyRule... rules) {
        return new ClusterRole(name, Map.of(), Map.of(), List.of(rules), null);
    }

    public static ClusterRole fromJson(JsonNode node) {
        JsonNode meta = node.get("metadata");
        JsonNode aggregation = node.get("aggregationRule");
        return new ClusterRole(
                Json.text(meta, "name"),
                Json.stringMap(meta, "labels"),
                Json.stringMap(meta, "annotations"),
                Role.rulesFromJson(node),
                aggregation == null || aggregation.isNull() ? null : AggregationRule.fromJson(aggregation));
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.typeHeader(KIND);
        node.set("metadata", Json.metadata(name, "", labels, annotations));
        node.set("rules", Role.rulesToJson(rules));
        if (aggregationRule != null) {
            node.set("aggregationRule", aggregationRule.toJson());
        }
        return node;
    }

    /** hasAggregationRule in pkg/registry/rbac/clusterrole/policybased/storage.go: at least one selector. */
    public boolean hasAggregationSelectors() {
        return aggregationRule != null
                && !aggregationRule.clusterRoleSelectors().isEmpty();
    }

    public ClusterRole withLabels(Map<String, String> newLabels) {
        return new ClusterRole(name, newLabels, annotations, rules, aggregationRule);
    }

    public ClusterRole withRules(List<PolicyRule> newRules) {
        return new ClusterRole(name, labels, annotations, newRules, aggregationRule);
    }

    public ClusterRole withAggregationRule(AggregationRule rule) {
        return new ClusterRole(name, labels, annotations, rules, rule);
    }
}
