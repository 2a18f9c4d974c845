package io.kubetwin.apiserver.authz.rbac;

import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.binding;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.clusterBinding;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.group;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.index;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.path;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.request;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.rule;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.sa;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.user;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.who;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.authz.SubjectRules;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Decision;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RbacAuthorizerTest {
    private static final UserInfo ALICE = who("alice", "devs", "qa", "system:authenticated");
    private static final UserInfo BOB = who("bob", "system:authenticated");
    private static final UserInfo BUILDER = who(
            "system:serviceaccount:team:builder",
            "system:serviceaccounts",
            "system:serviceaccounts:team",
            "system:authenticated");

    /** The objects of the scenario recorded against kube-apiserver v1.34.4 (see golden/rbac/observed/README.md). */
    private static final RbacPolicyIndex SCENARIO = index(
            ClusterRole.of(
                    "pod-reader",
                    PolicyRule.newRule("get", "list")
                            .groups("")
                            .resources("pods")
                            .build()),
            ClusterRole.of("secret-reader", rule("get", "", "secrets")),
            ClusterRole.of(
                    "healthz", PolicyRule.newRule("get").urls("/healthz*").build()),
            clusterBinding("b-readers", "pod-reader", group("devs")),
            clusterBinding("a-readers", "pod-reader", user("alice")),
            clusterBinding("health", "healthz", group("system:authenticated")),
            clusterBinding("nobody", "secret-reader"),
            RoleBinding.of("team", "broken", RoleRef.role("missing"), user("bob")),
            RoleBinding.of("team", "broken2", RoleRef.clusterRole("missing2"), user("bob")),
            RoleBinding.of("team", "sa-bind", RoleRef.clusterRole("pod-reader"), sa("", "builder")),
            Role.of("team", "secrets", rule("get", "", "secrets")),
            RoleBinding.of("team", "qa-secrets", RoleRef.role("secrets"), user("carol"), group("qa")),
            binding("team", "secret-reader", sa("team", "builder")),
            RoleBinding.of("team", "weird", new RoleRef(Rbac.GROUP, "Policy", "x"), user("dave")));

    static Stream<Arguments> decisions() {
        return Stream.of(
                // both a-readers and b-readers match; upstream picks either (map order), we pick the first by name
                Arguments.of(
                        request(ALICE, "list", "", "pods", "team"),
                        Decision.allow(
                                "RBAC: allowed by ClusterRoleBinding \"a-readers\" of ClusterRole \"pod-reader\" to User \"alice\"")),
                Arguments.of(
                        request(who("eve", "devs"), "get", "", "pods", ""),
                        Decision.allow(
                                "RBAC: allowed by ClusterRoleBinding \"b-readers\" of ClusterRole \"pod-reader\" to Group \"devs\"")),
                // a RoleBinding's first matching subject is named (group qa, not user carol)
                Arguments.of(
                        request(ALICE, "get", "", "secrets", "team"),
                        Decision.allow(
                                "RBAC: allowed by RoleBinding \"qa-secrets/team\" of Role \"secrets\" to Group \"qa\"")),
                Arguments.of(request(ALICE, "get", "", "secrets", "other"), Decision.noOpinion("")),
                Arguments.of(request(ALICE, "get", "", "secrets", ""), Decision.noOpinion("")),
                // service account without namespace in a RoleBinding: printed name/bindingNamespace
                Arguments.of(
                        request(BUILDER, "list", "", "pods", "team"),
                        Decision.allow(
                                "RBAC: allowed by RoleBinding \"sa-bind/team\" of ClusterRole \"pod-reader\" to ServiceAccount \"builder/team\"")),
                // sorted by name within the namespace: qa-secrets < secret-reader, but only secret-reader names the SA
                Arguments.of(
                        request(BUILDER, "get", "", "secrets", "team"),
                        Decision.allow(
                                "RBAC: allowed by RoleBinding \"secret-reader/team\" of ClusterRole \"secret-reader\" to ServiceAccount \"builder/team\"")),
                // a RoleBinding to a ClusterRole grants only inside its namespace
                Arguments.of(request(BUILDER, "list", "", "pods", "other"), Decision.noOpinion("")),
                // resolution errors become the reason, in binding-name order (observed text)
                Arguments.of(
                        request(BOB, "list", "", "pods", "team"),
                        Decision.noOpinion(
                                "RBAC: [role.rbac.authorization.k8s.io \"missing\" not found, clusterrole.rbac.authorization.k8s.io \"missing2\" not found]")),
                Arguments.of(request(BOB, "list", "", "pods", "other"), Decision.noOpinion("")),
                Arguments.of(
                        request(who("dave"), "get", "", "pods", "team"),
                        Decision.noOpinion("RBAC: unsupported role reference kind: \"Policy\"")),
                // non-resource rules come from cluster role bindings, whatever the namespace
                Arguments.of(
                        path(BOB, "get", "/healthz/etcd"),
                        Decision.allow(
                                "RBAC: allowed by ClusterRoleBinding \"health\" of ClusterRole \"healthz\" to Group \"system:authenticated\"")),
                Arguments.of(path(who("anon", "system:unauthenticated"), "get", "/healthz"), Decision.noOpinion("")),
                // a binding with no subjects grants nobody
                Arguments.of(request(who("", ""), "get", "", "secrets", ""), Decision.noOpinion("")));
    }

    @ParameterizedTest
    @MethodSource("decisions")
    void decide(Attributes request, Decision expected) {
        assertEquals(expected, new RbacAuthorizer(SCENARIO).authorize(request));
    }

    @Test
    void bobWithOneBrokenBindingGetsTheSingleErrorAsReason() {
        RbacPolicyIndex index = index(RoleBinding.of("team", "broken", RoleRef.role("missing"), user("bob")));
        assertEquals(
                Decision.noOpinion("RBAC: role.rbac.authorization.k8s.io \"missing\" not found"),
                new RbacAuthorizer(index).authorize(request(BOB, "list", "", "secrets", "team")));
    }

    @Test
    void errorsAfterTheAllowingRuleAreNotReported() {
        // cluster role bindings are visited first, so the allow happens before the broken role binding is seen
        assertEquals(
                Decision.allow(
                        "RBAC: allowed by ClusterRoleBinding \"a-readers\" of ClusterRole \"pod-reader\" to User \"alice\""),
                new RbacAuthorizer(index(
                                ClusterRole.of("pod-reader", rule("get", "", "pods")),
                                clusterBinding("a-readers", "pod-reader", user("alice")),
                                RoleBinding.of("team", "aaa", RoleRef.role("missing"), user("alice"))))
                        .authorize(request(ALICE, "get", "", "pods", "team")));
    }

    @Test
    void rulesForSplitsResourceAndNonResourceRules() {
        RbacPolicyIndex index = index(
                ClusterRole.of(
                        "mixed",
                        new PolicyRule(
                                List.of("get"), List.of(""), List.of("pods"), List.of("p"), List.of("/healthz"))),
                clusterBinding("mixed", "mixed", user("alice")),
                RoleBinding.of("team", "broken", RoleRef.role("missing"), user("alice")));
        SubjectRules rules = new RbacAuthorizer(index).rulesFor(ALICE, "team");
        assertEquals(
                List.of(new SubjectRules.ResourceRule(List.of("get"), List.of(""), List.of("pods"), List.of("p"))),
                rules.resourceRules());
        assertEquals(
                List.of(new SubjectRules.NonResourceRule(List.of("get"), List.of("/healthz"))),
                rules.nonResourceRules());
        assertEquals(false, rules.incomplete());
        assertEquals("role.rbac.authorization.k8s.io \"missing\" not found", rules.evaluationError());
    }
}
