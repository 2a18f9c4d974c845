package io.kubetwin.apiserver.audit.policy;

import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.auth.attributes.Attributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The audit policy's decision written plainly from k8s.io/apiserver/pkg/audit/policy/checker.go, independently of
 * {@link PolicyChecker}: the first rule whose every stated condition holds decides the level; its omitted stages are
 * its own plus the policy's; omitManagedFields is the rule's when it says, else the policy's. No rule: level None
 * with the policy's stages and omitManagedFields.
 *
 * <p>Conditions: users (the user's name; no user never matches), userGroups (any group of the user), verbs; then a
 * rule naming namespaces or resources only matches resource requests, in one of the namespaces ({@code ""} is
 * cluster scope) and of one of the group/resources (a group with no resources: all of them; {@code *};
 * {@code res} or {@code res/sub} exactly; {@code *}{@code /sub}; {@code res/*} for res and its subresources; when
 * resourceNames are given, only for those names); a rule naming nonResourceURLs only matches non-resource requests
 * on one of them ({@code *}, exact, or a prefix before trailing stars).
 */
final class AuditPolicyReferenceModel {
    private AuditPolicyReferenceModel() {}

    record Expected(Level level, Set<Stage> omitStages, boolean omitManagedFields) {}

    static Expected evaluate(Policy policy, Attributes request) {
        for (AuditPolicyRule rule : policy.rules()) {
            if (matches(rule, request)) {
                Set<Stage> stages = new HashSet<>(policy.omitStages());
                stages.addAll(rule.omitStages());
                boolean omit = rule.omitManagedFields() == null ? policy.omitManagedFields() : rule.omitManagedFields();
                return new Expected(rule.level(), stages, omit);
            }
        }
        return new Expected(Level.NONE, Set.copyOf(policy.omitStages()), policy.omitManagedFields());
    }

    private static boolean matches(AuditPolicyRule rule, Attributes r) {
        var user = r.user();
        boolean users = rule.users().isEmpty() || user != null && rule.users().contains(user.name());
        boolean groups = rule.userGroups().isEmpty()
                || user != null && user.groups().stream().anyMatch(rule.userGroups()::contains);
        boolean verbs = rule.verbs().isEmpty() || rule.verbs().contains(r.verb());
        if (!(users && groups && verbs)) {
            return false;
        }
        if (!rule.namespaces().isEmpty() || !rule.resources().isEmpty()) {
            return r.resourceRequest()
                    && (rule.namespaces().isEmpty() || rule.namespaces().contains(r.namespace()))
                    && (rule.resources().isEmpty()
                            || rule.resources().stream().anyMatch(gr -> groupResourceMatches(gr, r)));
        }
        if (!rule.nonResourceURLs().isEmpty()) {
            return !r.resourceRequest() && rule.nonResourceURLs().stream().anyMatch(u -> urlMatches(u, r.path()));
        }
        return true;
    }

    private static boolean groupResourceMatches(GroupResources gr, Attributes r) {
        if (!gr.group().equals(r.apiGroup())) {
            return false;
        }
        if (gr.resources().isEmpty()) {
            return true;
        }
        if (!gr.resourceNames().isEmpty() && !gr.resourceNames().contains(r.name())) {
            return false;
        }
        String sub = r.subresource();
        List<String> accepted = sub.isEmpty()
                ? List.of("*", r.resource(), r.resource() + "/*")
                : List.of("*", r.resource() + "/" + sub, "*/" + sub, r.resource() + "/*");
        return gr.resources().stream().anyMatch(accepted::contains);
    }

    private static boolean urlMatches(String spec, String path) {
        return spec.equals("*")
                || spec.equals(path)
                || spec.endsWith("*") && path.startsWith(spec.replaceAll("\\*+$", ""));
    }
}
