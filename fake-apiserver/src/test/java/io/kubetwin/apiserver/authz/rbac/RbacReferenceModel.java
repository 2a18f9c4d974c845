package io.kubetwin.apiserver.authz.rbac;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RBAC's decision written as plainly as possible from upstream's definition, independently of the product code:
 * plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows), pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches,
 * APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches) and
 * pkg/registry/rbac/validation/rule.go (VisitRulesFor, appliesToUser, GetRoleReferenceRules).
 *
 * <p>A request is allowed when some binding that applies to it grants a rule that allows it. ClusterRoleBindings
 * apply everywhere; RoleBindings only to requests in their own namespace. A binding grants the rules of the role it
 * references when one of its subjects is the user (User: same name; Group: one of the user's groups;
 * ServiceAccount: the user {@code system:serviceaccount:<ns>:<name>} with ns defaulting to the binding's
 * namespace, never matching without one). A Role reference resolves in the binding's namespace (so never for a
 * ClusterRoleBinding); a ClusterRole reference by name; any other kind not at all.
 */
final class RbacReferenceModel {
    private RbacReferenceModel() {}

    /** A binding that grants the request: its kind, name and namespace ("" for a ClusterRoleBinding). */
    record Grant(String kind, String name, String namespace) {}

    /** Every binding that grants the request; empty when RBAC has no opinion. */
    static List<Grant> grants(RbacWorld world) {
        // the objects as storage holds them: one per (namespace,) name, the last write winning
        Map<String, ClusterRole> clusterRoles = new LinkedHashMap<>();
        world.clusterRoles().forEach(r -> clusterRoles.put(r.name(), r));
        Map<List<String>, Role> roles = new LinkedHashMap<>();
        world.roles().forEach(r -> roles.put(List.of(r.namespace(), r.name()), r));
        Map<String, ClusterRoleBinding> crbs = new LinkedHashMap<>();
        world.clusterRoleBindings().forEach(b -> crbs.put(b.name(), b));
        Map<List<String>, RoleBinding> rbs = new LinkedHashMap<>();
        world.roleBindings().forEach(b -> rbs.put(List.of(b.namespace(), b.name()), b));

        Attributes request = world.request();
        List<Grant> grants = new ArrayList<>();
        for (ClusterRoleBinding b : crbs.values()) {
            List<PolicyRule> rules = b.roleRef().kind().equals("ClusterRole")
                            && clusterRoles.containsKey(b.roleRef().name())
                    ? clusterRoles.get(b.roleRef().name()).rules()
                    : List.of();
            if (anySubjectIs(b.subjects(), request.user(), "") && anyRuleAllows(rules, request)) {
                grants.add(new Grant("ClusterRoleBinding", b.name(), ""));
            }
        }
        for (RoleBinding b : rbs.values()) {
            if (request.namespace().isEmpty() || !b.namespace().equals(request.namespace())) {
                continue;
            }
            List<PolicyRule> rules = List.of();
            if (b.roleRef().kind().equals("ClusterRole")
                    && clusterRoles.containsKey(b.roleRef().name())) {
                rules = clusterRoles.get(b.roleRef().name()).rules();
            } else if (b.roleRef().kind().equals("Role")
                    && roles.containsKey(List.of(b.namespace(), b.roleRef().name()))) {
                rules = roles.get(List.of(b.namespace(), b.roleRef().name())).rules();
            }
            if (anySubjectIs(b.subjects(), request.user(), b.namespace()) && anyRuleAllows(rules, request)) {
                grants.add(new Grant("RoleBinding", b.name(), b.namespace()));
            }
        }
        return grants;
    }

    private static boolean anySubjectIs(List<Subject> subjects, UserInfo user, String bindingNamespace) {
        for (Subject s : subjects) {
            boolean is =
                    switch (s.kind()) {
                        case "User" -> s.name().equals(user.name());
                        case "Group" -> user.groups().contains(s.name());
                        case "ServiceAccount" -> {
                            String ns = s.namespace().isEmpty() ? bindingNamespace : s.namespace();
                            yield !ns.isEmpty() && user.name().equals("system:serviceaccount:" + ns + ":" + s.name());
                        }
                        default -> false;
                    };
            if (is) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyRuleAllows(List<PolicyRule> rules, Attributes request) {
        return rules.stream().anyMatch(rule -> allows(rule, request));
    }

    static boolean allows(PolicyRule rule, Attributes r) {
        if (!(rule.verbs().contains("*") || rule.verbs().contains(r.verb()))) {
            return false;
        }
        if (!r.resourceRequest()) {
            for (String url : rule.nonResourceURLs()) {
                if (url.equals("*") || url.equals(r.path())) {
                    return true;
                }
                if (url.endsWith("*") && r.path().startsWith(url.replaceAll("\\*+$", ""))) {
                    return true;
                }
            }
            return false;
        }
        boolean group = rule.apiGroups().contains("*") || rule.apiGroups().contains(r.apiGroup());
        String combined = r.subresource().isEmpty() ? r.resource() : r.resource() + "/" + r.subresource();
        boolean resource = rule.resources().contains("*")
                || rule.resources().contains(combined)
                || !r.subresource().isEmpty() && rule.resources().contains("*/" + r.subresource());
        boolean name = rule.resourceNames().isEmpty() || rule.resourceNames().contains(r.name());
        return group && resource && name;
    }
}
