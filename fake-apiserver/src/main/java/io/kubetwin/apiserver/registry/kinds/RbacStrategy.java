package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Roles, ClusterRoles, RoleBindings and ClusterRoleBindings (pkg/registry/rbac, pkg/apis/rbac/validation):
 * names are path segments, rules and subjects are atomic lists, roleRef is immutable. Escalation checks
 * belong to the RBAC helper's admission-like hook, not here.
 */
public final class RbacStrategy implements ResourceStrategy {
    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";
    private final boolean binding;
    private final boolean cluster;

    private RbacStrategy(boolean binding, boolean cluster) {
        this.binding = binding;
        this.cluster = cluster;
    }

    public static RbacStrategy role() {
        return new RbacStrategy(false, false);
    }

    public static RbacStrategy clusterRole() {
        return new RbacStrategy(false, true);
    }

    public static RbacStrategy roleBinding() {
        return new RbacStrategy(true, false);
    }

    public static RbacStrategy clusterRoleBinding() {
        return new RbacStrategy(true, true);
    }

    @Override
    public Names.NameRule nameRule() {
        return Names.PATH_SEGMENT;
    }

    /** rbac/v1's SetDefaults_RoleBinding and SetDefaults_ClusterRoleBinding: roleRef.apiGroup (a struct in Go). */
    @Override
    public void applyDefaults(ObjectNode object) {
        if (!binding) {
            return;
        }
        ObjectNode roleRef = object.get("roleRef") instanceof ObjectNode o ? o : object.putObject("roleRef");
        if (roleRef.path("apiGroup").asText("").isEmpty()) {
            roleRef.put("apiGroup", RBAC_GROUP);
        }
    }

    @Override
    public List<FieldError> validate(ObjectNode object) {
        List<FieldError> errs = new ArrayList<>();
        if (binding) {
            // ValidateRoleBinding / ValidateClusterRoleBinding's order: apiGroup, kind, name
            String group = object.path("roleRef").path("apiGroup").asText("");
            if (!RBAC_GROUP.equals(group)) {
                errs.add(FieldError.notSupported("roleRef.apiGroup", group, List.of(RBAC_GROUP)));
            }
            String kind = object.path("roleRef").path("kind").asText("");
            if (cluster && !"ClusterRole".equals(kind)) {
                errs.add(FieldError.notSupported("roleRef.kind", kind, List.of("ClusterRole")));
            } else if (!cluster && !"Role".equals(kind) && !"ClusterRole".equals(kind)) {
                errs.add(FieldError.notSupported("roleRef.kind", kind, List.of("Role", "ClusterRole")));
            }
            if (object.path("roleRef").path("name").asText("").isEmpty()) {
                errs.add(FieldError.required("roleRef.name", ""));
            }
            var subjects = object.path("subjects");
            for (int i = 0; i < subjects.size(); i++) {
                var s = subjects.get(i);
                String p = "subjects[" + i + "]";
                if (s.path("name").asText("").isEmpty()) {
                    errs.add(FieldError.required(p + ".name", ""));
                }
                String sk = s.path("kind").asText("");
                if (!List.of("ServiceAccount", "User", "Group").contains(sk)) {
                    errs.add(FieldError.notSupported(p + ".kind", sk, List.of("ServiceAccount", "User", "Group")));
                } else if ("ServiceAccount".equals(sk)
                        && cluster
                        && s.path("namespace").asText("").isEmpty()) {
                    errs.add(FieldError.required(p + ".namespace", ""));
                }
            }
        } else {
            var rules = object.path("rules");
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).path("verbs").size() == 0) {
                    errs.add(FieldError.required("rules[" + i + "].verbs", "verbs must contain at least one value"));
                }
            }
        }
        return errs;
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(object));
        if (binding && !object.path("roleRef").equals(old.path("roleRef"))) {
            errs.add(FieldError.invalid("roleRef", object.path("roleRef"), "cannot change roleRef"));
        }
        return errs;
    }

    @Override
    public List<String> fieldOrder() {
        return binding
                ? List.of("kind", "apiVersion", "metadata", "subjects", "roleRef")
                : List.of("kind", "apiVersion", "metadata", "rules", "aggregationRule");
    }

    /** rbac/v1 types.go field order of rules, subjects and roleRef. */
    @Override
    public Map<String, List<String>> nestedFieldOrder() {
        return binding
                ? Map.of(
                        "subjects",
                        List.of("kind", "apiGroup", "name", "namespace"),
                        "roleRef",
                        List.of("apiGroup", "kind", "name"))
                : Map.of("rules", List.of("verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"));
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public TableConvertor table() {
        if (!binding) {
            return TableConvertor.DEFAULT;
        }
        return cluster ? Printers.CLUSTER_ROLE_BINDINGS : Printers.ROLE_BINDINGS;
    }
}
