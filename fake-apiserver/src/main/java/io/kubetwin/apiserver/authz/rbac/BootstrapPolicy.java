package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.ObjectKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

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

    /**
     * The policy as kube-apiserver v1.34.4 builds it with the given gates: the recording is the one with v1.34's
     * defaults, so what bootstrappolicy adds only when a gate is on is taken out when it is off (policy.go viewRules,
     * editRules, NodeRules and the kube-scheduler role for DynamicResourceAllocation and
     * KubeletServiceAccountTokenForCredentialProviders, controller_policy.go's resource-claim-controller and
     * volumeattributesclass-protection-controller roles and their bindings). Only the gates whose default differs at
     * an emulated release are modelled.
     *
     * @param enabled whether a feature gate is on
     */
    public BootstrapPolicy withGates(Predicate<String> enabled) {
        boolean dra = enabled.test("DynamicResourceAllocation");
        boolean vac = enabled.test("VolumeAttributesClass");
        // the Node authorizer lets a kubelet get service accounts with either gate; the rule is only for the first
        boolean saToken = enabled.test("KubeletServiceAccountTokenForCredentialProviders");
        Set<String> droppedRoles = new HashSet<>();
        if (!dra) {
            droppedRoles.add("system:controller:resource-claim-controller");
        }
        if (!vac) {
            droppedRoles.add("system:controller:volumeattributesclass-protection-controller");
        }
        List<ObjectNode> kept = new ArrayList<>();
        for (ObjectNode object : objects) {
            String kind = Json.text(object, "kind");
            String name = Json.text(object.get("metadata"), "name");
            boolean cluster = ClusterRole.KIND.equals(kind) || ClusterRoleBinding.KIND.equals(kind);
            if (cluster && droppedRoles.contains(name)) {
                continue;
            }
            ObjectNode copy = object.deepCopy();
            if (ClusterRole.KIND.equals(kind) && copy.get("rules") instanceof ArrayNode rules) {
                ArrayNode keptRules = rules.arrayNode();
                for (JsonNode rule : rules) {
                    boolean gated = (!dra && draRule(name, rule))
                            || (!saToken && name.equals("system:node") && getServiceAccounts(rule));
                    if (!gated) {
                        keptRules.add(rule);
                    }
                }
                copy.set("rules", keptRules);
            }
            kept.add(copy);
        }
        return new BootstrapPolicy(Collections.unmodifiableList(kept));
    }

    /**
     * The rules the DynamicResourceAllocation gate adds to the aggregated view and edit roles, system:node and the
     * scheduler.
     */
    private static boolean draRule(String role, JsonNode rule) {
        if (!Set.of("system:aggregate-to-view", "system:aggregate-to-edit", "system:node", "system:kube-scheduler")
                .contains(role)) {
            return false;
        }
        if (rule.path("apiGroups").size() == 1
                && rule.path("apiGroups").get(0).asText().equals("resource.k8s.io")) {
            return true;
        }
        // the scheduler's pods/finalizers rule comes with its DRA rules (policy.go)
        return role.equals("system:kube-scheduler")
                && rule.path("resources").size() == 1
                && rule.path("resources").get(0).asText().equals("pods/finalizers");
    }

    /** NodeRules' get of service accounts (KubeletServiceAccountTokenForCredentialProviders). */
    private static boolean getServiceAccounts(JsonNode rule) {
        return rule.path("verbs").size() == 1
                && rule.path("verbs").get(0).asText().equals("get")
                && rule.path("apiGroups").size() == 1
                && rule.path("apiGroups").get(0).asText().isEmpty()
                && rule.path("resources").size() == 1
                && rule.path("resources").get(0).asText().equals("serviceaccounts");
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
