package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.ObjectKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The RBAC objects a fresh v1.34 kube-apiserver creates (its rbac/bootstrap-roles post-start hook, from
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go, controller_policy.go and namespace_policy.go):
 * ClusterRoles, ClusterRoleBindings, and the Roles/RoleBindings of kube-system and kube-public.
 *
 * <p>The data is recorded from a real v1.34.4 kube-apiserver (see bootstrap-policy.README.md beside the data file),
 * in kube-apiserver's field order. As recorded, the aggregated roles {@code admin}, {@code edit} and {@code view} have
 * {@code "rules": null}: kube-controller-manager fills them in; {@link #objectsWithAggregatedRules()} does the same.
 *
 * <p>Instances are immutable; every accessor returns fresh copies, so callers may mutate what they get.
 */
public final class BootstrapPolicy {
    public static final String RESOURCE = "bootstrap-policy.json";

    private final List<ObjectNode> objects;

    private BootstrapPolicy(List<ObjectNode> objects) {
        this.objects = objects;
    }

    /** Reads the data file from the class path. */
    public static BootstrapPolicy load() {
        ObjectMapper mapper = new ObjectMapper();
        try (InputStream in = BootstrapPolicy.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + RESOURCE);
            }
            JsonNode list = mapper.readTree(in);
            List<ObjectNode> items = new ArrayList<>();
            list.get("items").forEach(item -> items.add((ObjectNode) item));
            return new BootstrapPolicy(Collections.unmodifiableList(items));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object as recorded: ClusterRoles, ClusterRoleBindings, Roles, RoleBindings, each group by name. */
    public List<ObjectNode> objects() {
        return objects.stream().map(ObjectNode::deepCopy).toList();
    }

    /** Like {@link #objects()}, with the aggregated ClusterRoles' rules filled in as the aggregation controller would. */
    public List<ObjectNode> objectsWithAggregatedRules() {
        Map<String, List<PolicyRule>> aggregated = ClusterRoleAggregator.reconcile(clusterRoles());
        List<ObjectNode> out = new ArrayList<>(objects.size());
        for (ObjectNode object : objects) {
            ObjectNode copy = object.deepCopy();
            List<PolicyRule> rules = ClusterRole.KIND.equals(Json.text(copy, "kind"))
                    ? aggregated.get(Json.text(copy.get("metadata"), "name"))
                    : null;
            if (rules != null) {
                // keep the field order: rules stay before aggregationRule
                JsonNode aggregationRule = copy.remove("aggregationRule");
                copy.set("rules", Role.rulesToJson(rules));
                if (aggregationRule != null) {
                    copy.set("aggregationRule", aggregationRule);
                }
            }
            out.add(copy);
        }
        return out;
    }

    /** The storage key of a bootstrap object. */
    public static ObjectKey keyOf(ObjectNode object) {
        String resource =
                switch (Json.text(object, "kind")) {
                    case ClusterRole.KIND -> Rbac.CLUSTER_ROLES;
                    case ClusterRoleBinding.KIND -> Rbac.CLUSTER_ROLE_BINDINGS;
                    case Role.KIND -> Rbac.ROLES;
                    case RoleBinding.KIND -> Rbac.ROLE_BINDINGS;
                    default -> throw new IllegalArgumentException("not an RBAC object: " + Json.text(object, "kind"));
                };
        JsonNode meta = object.get("metadata");
        return new ObjectKey(Rbac.GROUP, resource, Json.text(meta, "namespace"), Json.text(meta, "name"));
    }

    public List<ClusterRole> clusterRoles() {
        return ofKind(ClusterRole.KIND).stream().map(ClusterRole::fromJson).toList();
    }

    public List<ClusterRoleBinding> clusterRoleBindings() {
        return ofKind(ClusterRoleBinding.KIND).stream()
                .map(ClusterRoleBinding::fromJson)
                .toList();
    }

    public List<Role> roles() {
        return ofKind(Role.KIND).stream().map(Role::fromJson).toList();
    }

    public List<RoleBinding> roleBindings() {
        return ofKind(RoleBinding.KIND).stream().map(RoleBinding::fromJson).toList();
    }

    /** An index holding the whole bootstrap policy, with aggregated rules filled in. */
    public RbacPolicyIndex newIndex() {
        return RbacPolicyIndex.of(objectsWithAggregatedRules());
    }

    private List<ObjectNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(Json.text(o, "kind"))).toList();
    }
}
