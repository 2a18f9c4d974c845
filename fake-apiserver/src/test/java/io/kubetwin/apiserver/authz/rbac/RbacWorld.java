package io.kubetwin.apiserver.authz.rbac;

import io.kubetwin.apiserver.testing.Choices;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small random RBAC world and one request in it, drawn from small alphabets so that rules, bindings and requests
 * meet often: verbs, groups, resources with subresources, {@code *}{@code /sub} and {@code *}, resource names,
 * non-resource URLs with trailing stars, bindings to users, groups and service accounts (with and without a
 * namespace), Roles and ClusterRoles (referenced by RoleBindings and ClusterRoleBindings, some missing, some of an
 * unknown kind). Shared by {@code RbacAuthorizerPropertyTest} and {@code RbacAuthorizerFuzzTest}.
 */
record RbacWorld(
        List<ClusterRole> clusterRoles,
        List<Role> roles,
        List<ClusterRoleBinding> clusterRoleBindings,
        List<RoleBinding> roleBindings,
        Attributes request) {

    static final List<String> NAMESPACES = List.of("ns1", "ns2");
    static final List<String> ROLE_NAMES = List.of("r1", "r2", "r3");
    static final List<String> VERBS = List.of("get", "list", "create", "escalate", "*");
    static final List<String> REQUEST_VERBS = List.of("get", "list", "create", "escalate");
    static final List<String> GROUPS = List.of("", "apps", "*");
    static final List<String> RULE_RESOURCES =
            List.of("pods", "pods/log", "pods/status", "*/status", "*/log", "*", "deployments", "pods/*");
    static final List<String> OBJECT_NAMES = List.of("a", "b", "");
    static final List<String> URLS = List.of("/healthz", "/healthz/*", "/api*", "/api**", "*", "/metrics", "/");
    static final List<String> USERS = List.of("alice", "bob", "system:serviceaccount:ns1:sa");
    static final List<String> USER_GROUPS = List.of("dev", "ops", "system:serviceaccounts");
    static final List<String> PATHS = List.of("/healthz", "/healthz/etcd", "/api", "/apis", "/metrics", "/", "");
    static final List<String> RESOURCES = List.of("pods", "deployments");
    static final List<String> SUBRESOURCES = List.of("", "", "log", "status");

    static RbacWorld draw(Choices c) {
        List<ClusterRole> clusterRoles =
                c.listOf(4, () -> new ClusterRole(c.pick(ROLE_NAMES), Map.of(), Map.of(), rules(c), null));
        List<Role> roles =
                c.listOf(4, () -> new Role(c.pick(NAMESPACES), c.pick(ROLE_NAMES), Map.of(), Map.of(), rules(c)));
        List<ClusterRoleBinding> crbs = c.listOf(
                3, () -> new ClusterRoleBinding("crb" + c.below(4), Map.of(), Map.of(), subjects(c), roleRef(c, true)));
        List<RoleBinding> rbs = c.listOf(
                4,
                () -> new RoleBinding(
                        c.pick(NAMESPACES), "rb" + c.below(4), Map.of(), Map.of(), subjects(c), roleRef(c, false)));
        // Half of the requests are aimed at the world (a bound subject, a granted rule's values) so that allows
        // are common; the rest are drawn blindly.
        List<String> groups = new ArrayList<>(c.listOf(2, () -> c.pickOrAny(USER_GROUPS)));
        String userName = c.pickOrAny(USERS);
        String namespace = c.pickOrAny(List.of("ns1", "ns2", ""));
        List<Subject> bound = new ArrayList<>();
        crbs.forEach(b -> bound.addAll(b.subjects()));
        rbs.forEach(b -> bound.addAll(b.subjects()));
        if (!bound.isEmpty() && c.chance(50)) {
            Subject s = bound.get(c.below(bound.size()));
            switch (s.kind()) {
                case Subject.USER -> userName = s.name();
                case Subject.GROUP -> groups.add(s.name());
                case Subject.SERVICE_ACCOUNT ->
                    userName = "system:serviceaccount:" + (s.namespace().isEmpty() ? namespace : s.namespace()) + ":"
                            + s.name();
                default -> {}
            }
        }
        UserInfo user = UserInfo.of(userName, groups.toArray(String[]::new));
        List<PolicyRule> granted = new ArrayList<>();
        clusterRoles.forEach(r -> granted.addAll(r.rules()));
        roles.forEach(r -> granted.addAll(r.rules()));
        PolicyRule aim = !granted.isEmpty() && c.chance(50) ? granted.get(c.below(granted.size())) : null;
        Attributes request;
        if (aim != null && !aim.nonResourceURLs().isEmpty()) {
            String url = aim.nonResourceURLs().get(c.below(aim.nonResourceURLs().size()));
            String path = url.endsWith("*") ? url.replaceAll("\\*+$", "") + c.pick(List.of("", "x", "/etcd")) : url;
            request = Attributes.nonResource(user, concrete(c, aim.verbs(), List.of("get", "post")), path);
        } else if (aim != null || c.chance(75)) {
            String resource = c.pickOrAny(RESOURCES);
            String subresource = c.pickOrAny(SUBRESOURCES);
            if (aim != null && !aim.resources().isEmpty()) {
                String[] parts =
                        aim.resources().get(c.below(aim.resources().size())).split("/", 2);
                resource = parts[0].equals("*") ? resource : parts[0];
                subresource = parts.length == 2 && !parts[1].equals("*") ? parts[1] : subresource;
            }
            request = Attributes.resource(
                    user,
                    aim == null ? c.pickOrAny(REQUEST_VERBS) : concrete(c, aim.verbs(), REQUEST_VERBS),
                    aim == null ? c.pickOrAny(List.of("", "apps")) : concrete(c, aim.apiGroups(), List.of("", "apps")),
                    resource,
                    subresource,
                    namespace,
                    aim == null ? c.pickOrAny(OBJECT_NAMES) : concrete(c, aim.resourceNames(), OBJECT_NAMES));
        } else {
            request = Attributes.nonResource(user, c.pickOrAny(List.of("get", "get", "post")), c.pickOrAny(PATHS));
        }
        return new RbacWorld(clusterRoles, roles, crbs, rbs, request);
    }

    /** One of the rule's own values other than {@code *}, else one of {@code otherwise}. */
    private static String concrete(Choices c, List<String> ruleValues, List<String> otherwise) {
        List<String> own = ruleValues.stream().filter(v -> !v.equals("*")).toList();
        return own.isEmpty() ? c.pick(otherwise) : own.get(c.below(own.size()));
    }

    private static List<PolicyRule> rules(Choices c) {
        return c.listOf(4, () -> rule(c));
    }

    private static List<Subject> subjects(Choices c) {
        List<Subject> subjects = new ArrayList<>(c.listOf(2, () -> subject(c)));
        subjects.add(subject(c));
        return subjects;
    }

    /** The index the authorizer reads; later objects with an existing name replace earlier ones, as in storage. */
    RbacPolicyIndex index() {
        RbacPolicyIndex index = new RbacPolicyIndex();
        clusterRoles.forEach(index::put);
        roles.forEach(index::put);
        clusterRoleBindings.forEach(index::put);
        roleBindings.forEach(index::put);
        return index;
    }

    private static PolicyRule rule(Choices c) {
        boolean nonResource = c.chance(25);
        return new PolicyRule(
                oneOrMore(c, VERBS),
                nonResource ? List.of() : oneOrMore(c, GROUPS),
                nonResource ? List.of() : oneOrMore(c, RULE_RESOURCES),
                nonResource || c.chance(70) ? List.of() : c.listOf(2, () -> c.pickOrAny(OBJECT_NAMES)),
                nonResource ? c.listOf(2, () -> c.pickOrAny(URLS)) : List.of());
    }

    /** One to three values, or now and then none (which matches nothing). */
    private static List<String> oneOrMore(Choices c, List<String> values) {
        if (c.chance(5)) {
            return List.of();
        }
        List<String> out = new ArrayList<>(c.listOf(2, () -> c.pickOrAny(values)));
        out.add(c.pickOrAny(values));
        return out;
    }

    private static Subject subject(Choices c) {
        return switch (c.below(4)) {
            case 0 -> Subject.user(c.pickOrAny(USERS));
            case 1 -> Subject.group(c.pickOrAny(USER_GROUPS));
            case 2 -> Subject.serviceAccount(c.pickOrAny(List.of("ns1", "ns2", "")), c.pickOrAny(List.of("sa", "x")));
            default -> new Subject(c.pickOrAny(List.of("user", "Other")), "", c.pickOrAny(USERS), "");
        };
    }

    private static RoleRef roleRef(Choices c, boolean cluster) {
        int kind = c.below(10);
        String name = c.pick(ROLE_NAMES);
        if (kind == 0) {
            return new RoleRef(Rbac.GROUP, c.pickOrAny(List.of("role", "Other")), name);
        }
        // a ClusterRoleBinding to a Role is refused by validation, but the authorizer must still not grant it
        return kind <= (cluster ? 1 : 4) ? RoleRef.role(name) : RoleRef.clusterRole(name);
    }
}
