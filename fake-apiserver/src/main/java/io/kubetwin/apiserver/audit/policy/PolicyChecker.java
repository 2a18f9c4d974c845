package io.kubetwin.apiserver.audit.policy;

import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the audit level of a request: the first rule of the policy that matches wins, no match means
 * {@link Level#NONE}. Mirrors k8s.io/apiserver/pkg/audit/policy/checker.go.
 *
 * <p>A rule matches when every field it sets matches: {@code users} (the user's name), {@code userGroups}
 * (any of the user's groups), {@code verbs}; then, if it names {@code namespaces} or {@code resources}, the
 * request must be a resource request in one of those namespaces ({@code ""} = cluster scope) and of one of
 * those group/resources; otherwise, if it names {@code nonResourceURLs}, the request must be a
 * non-resource request whose path matches one ({@code *}, exact, or a prefix ending in {@code *}). A rule
 * naming none of them matches any request. Resources match {@code resource}, {@code resource/subresource},
 * {@code *}, {@code *}{@code /subresource} and {@code resource/*} (which, as upstream, also matches the
 * plain resource); {@code resourceNames} further restricts by object name.
 *
 * <p>Immutable and thread-safe; evaluated once per request by the audit stage, with the authenticated
 * (not the impersonated) user, or with no user for failed authentication.
 */
public final class PolicyChecker {
    private final List<CompiledRule> rules;
    private final RequestAuditConfig noMatch;

    private record CompiledRule(AuditPolicyRule rule, RequestAuditConfig config) {}

    /** @param policy a validated policy */
    public PolicyChecker(Policy policy) {
        Set<Stage> policyStages = stages(policy.omitStages());
        this.rules = policy.rules().stream()
                .map(rule -> {
                    // Upstream unions the policy-wide omitStages into every rule once, when the evaluator is built.
                    Set<Stage> omit = stages(policy.omitStages());
                    omit.addAll(rule.omitStages());
                    boolean omitManagedFields =
                            rule.omitManagedFields() != null ? rule.omitManagedFields() : policy.omitManagedFields();
                    return new CompiledRule(rule, new RequestAuditConfig(rule.level(), omit, omitManagedFields));
                })
                .toList();
        this.noMatch = new RequestAuditConfig(Level.NONE, policyStages, policy.omitManagedFields());
    }

    private static Set<Stage> stages(List<Stage> list) {
        Set<Stage> set = EnumSet.noneOf(Stage.class);
        set.addAll(list);
        return set;
    }

    /** The configuration of the first matching rule; {@code attributes.user()} may be null. */
    public RequestAuditConfig evaluate(Attributes attributes) {
        for (CompiledRule r : rules) {
            if (matches(r.rule(), attributes)) {
                return r.config();
            }
        }
        return noMatch;
    }

    static boolean matches(AuditPolicyRule r, Attributes a) {
        UserInfo user = a.user();
        if (!r.users().isEmpty() && (user == null || !r.users().contains(user.name()))) {
            return false;
        }
        if (!r.userGroups().isEmpty()) {
            if (user == null || user.groups().stream().noneMatch(r.userGroups()::contains)) {
                return false;
            }
        }
        if (!r.verbs().isEmpty() && !r.verbs().contains(a.verb())) {
            return false;
        }
        if (!r.namespaces().isEmpty() || !r.resources().isEmpty()) {
            return matchesResource(r, a);
        }
        if (!r.nonResourceURLs().isEmpty()) {
            return matchesNonResource(r, a);
        }
        return true;
    }

    private static boolean matchesNonResource(AuditPolicyRule r, Attributes a) {
        if (a.resourceRequest()) {
            return false;
        }
        for (String spec : r.nonResourceURLs()) {
            if (pathMatches(a.path(), spec)) {
                return true;
            }
        }
        return false;
    }

    static boolean pathMatches(String path, String spec) {
        if (spec.equals("*") || spec.equals(path)) {
            return true;
        }
        // strings.TrimRight(spec, "*"): every trailing star goes, so "/a**" is the prefix "/a".
        return spec.endsWith("*") && path.startsWith(trimTrailingStars(spec));
    }

    private static String trimTrailingStars(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '*') {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean matchesResource(AuditPolicyRule r, Attributes a) {
        if (!a.resourceRequest()) {
            return false;
        }
        if (!r.namespaces().isEmpty() && !r.namespaces().contains(a.namespace())) {
            return false;
        }
        if (r.resources().isEmpty()) {
            return true;
        }
        String resource = a.resource();
        String subresource = a.subresource();
        String combined = subresource.isEmpty() ? resource : resource + "/" + subresource;
        for (GroupResources gr : r.resources()) {
            if (!gr.group().equals(a.apiGroup())) {
                continue;
            }
            if (gr.resources().isEmpty()) {
                return true;
            }
            for (String res : gr.resources()) {
                if (!gr.resourceNames().isEmpty() && !gr.resourceNames().contains(a.name())) {
                    continue;
                }
                if (res.equals(combined) || res.equals("*")) {
                    return true;
                }
                if (!subresource.isEmpty() && res.startsWith("*/") && subresource.equals(res.substring(2))) {
                    return true;
                }
                if (res.endsWith("/*") && resource.equals(res.substring(0, res.length() - 2))) {
                    return true;
                }
            }
        }
        return false;
    }
}
