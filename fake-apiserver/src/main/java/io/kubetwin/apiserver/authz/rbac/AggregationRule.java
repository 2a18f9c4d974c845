package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** rbacv1.AggregationRule: the ClusterRoles whose rules are gathered into this one. */
public record AggregationRule(List<LabelSelector> clusterRoleSelectors) {
    public AggregationRule {
        clusterRoleSelectors = clusterRoleSelectors == null ? List.of() : List.copyOf(clusterRoleSelectors);
    }

    public static AggregationRule of(LabelSelector... selectors) {
        return new AggregationRule(List.of(selectors));
    }

    public static AggregationRule fromJson(JsonNode node) {
        return new AggregationRule(Json.objects(node, "clusterRoleSelectors").stream()
                .map(LabelSelector::fromJson)
                .toList());
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.NODES.objectNode();
        if (!clusterRoleSelectors.isEmpty()) {
            ArrayNode selectors = node.putArray("clusterRoleSelectors");
            clusterRoleSelectors.forEach(s -> selectors.add(s.toJson()));
        }
        return node;
    }
}
