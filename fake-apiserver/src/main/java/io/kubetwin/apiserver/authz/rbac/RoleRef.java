package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** rbacv1.RoleRef: the Role (in the binding's namespace) or ClusterRole a binding grants. */
public record RoleRef(String apiGroup, String kind, String name) {
    public static final String ROLE = "Role";
    public static final String CLUSTER_ROLE = "ClusterRole";

    public RoleRef {
        apiGroup = apiGroup == null ? "" : apiGroup;
        kind = kind == null ? "" : kind;
        name = name == null ? "" : name;
    }

    public static RoleRef clusterRole(String name) {
        return new RoleRef(Rbac.GROUP, CLUSTER_ROLE, name);
    }

    public static RoleRef role(String name) {
        return new RoleRef(Rbac.GROUP, ROLE, name);
    }

    public static RoleRef fromJson(JsonNode node) {
        return new RoleRef(Json.text(node, "apiGroup"), Json.text(node, "kind"), Json.text(node, "name"));
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.NODES.objectNode();
        node.put("apiGroup", apiGroup);
        node.put("kind", kind);
        node.put("name", name);
        return node;
    }
}
