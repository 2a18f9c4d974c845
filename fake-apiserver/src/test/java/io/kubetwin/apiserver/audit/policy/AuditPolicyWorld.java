package io.kubetwin.apiserver.audit.policy;

import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.apiserver.testing.Choices;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.List;

/**
 * A random small audit policy and one request, drawn from small alphabets so that rules and requests meet often:
 * every rule field (users, userGroups, verbs, resources with groups, subresources, {@code *}, {@code *}{@code /sub},
 * {@code res/*} and resourceNames, namespaces including {@code ""}, nonResourceURLs with trailing stars), levels,
 * omitStages on the policy and the rules, omitManagedFields, and requests with and without a user. Shared by
 * {@code PolicyCheckerPropertyTest} and {@code PolicyCheckerFuzzTest}.
 */
record AuditPolicyWorld(Policy policy, Attributes request) {
    static final List<String> USERS = List.of("alice", "bob", "system:anonymous");
    static final List<String> GROUPS = List.of("dev", "ops", "system:authenticated");
    static final List<String> VERBS = List.of("get", "list", "watch", "create", "delete");
    static final List<String> API_GROUPS = List.of("", "apps");
    static final List<String> RULE_RESOURCES =
            List.of("pods", "pods/log", "pods/*", "*/status", "*", "deployments", "deployments/status");
    static final List<String> NAMES = List.of("a", "b");
    static final List<String> NAMESPACES = List.of("ns1", "ns2", "");
    static final List<String> URLS = List.of("/healthz", "/healthz*", "/api/*", "*", "/metrics", "/**");
    static final List<String> PATHS = List.of("/healthz", "/healthz/etcd", "/api/v1", "/api", "/metrics", "/");

    static AuditPolicyWorld draw(Choices c) {
        List<AuditPolicyRule> rules = c.listOf(4, () -> rule(c));
        Policy policy = new Policy(rules, stages(c), c.chance(50));
        UserInfo user = c.chance(10)
                ? null
                : UserInfo.of(
                        c.pickOrAny(USERS),
                        c.listOf(2, () -> c.pickOrAny(GROUPS)).toArray(String[]::new));
        Attributes request = c.chance(70)
                ? new Attributes(
                        user,
                        c.pickOrAny(VERBS),
                        true,
                        "",
                        c.pickOrAny(NAMESPACES),
                        c.pickOrAny(API_GROUPS),
                        "v1",
                        c.pickOrAny(List.of("pods", "deployments", "secrets")),
                        c.pickOrAny(List.of("", "", "log", "status")),
                        c.pickOrAny(List.of("a", "b", "")))
                : new Attributes(user, c.pickOrAny(VERBS), false, c.pickOrAny(PATHS), "", "", "", "", "", "");
        return new AuditPolicyWorld(policy, request);
    }

    private static AuditPolicyRule rule(Choices c) {
        // a rule names resources/namespaces or nonResourceURLs, never both (validation refuses that)
        int scope = c.below(3);
        return new AuditPolicyRule(
                Level.values()[c.below(Level.values().length)],
                c.chance(30) ? c.listOf(2, () -> c.pickOrAny(USERS)) : List.of(),
                c.chance(30) ? c.listOf(2, () -> c.pickOrAny(GROUPS)) : List.of(),
                c.chance(40) ? c.listOf(2, () -> c.pickOrAny(VERBS)) : List.of(),
                scope == 1 ? c.listOf(2, () -> groupResources(c)) : List.of(),
                scope == 1 && c.chance(50) ? c.listOf(2, () -> c.pick(NAMESPACES)) : List.of(),
                scope == 2 ? c.listOf(2, () -> c.pickOrAny(URLS)) : List.of(),
                stages(c),
                c.chance(30) ? c.chance(50) : null);
    }

    private static GroupResources groupResources(Choices c) {
        return new GroupResources(
                c.pickOrAny(API_GROUPS),
                c.listOf(2, () -> c.pickOrAny(RULE_RESOURCES)),
                c.chance(30) ? c.listOf(2, () -> c.pickOrAny(NAMES)) : List.of());
    }

    private static List<Stage> stages(Choices c) {
        return c.listOf(2, () -> Stage.values()[c.below(Stage.values().length)]);
    }
}
