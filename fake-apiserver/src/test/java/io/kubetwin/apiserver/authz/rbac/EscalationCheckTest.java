package io.kubetwin.apiserver.authz.rbac;

import static io.kubetwin.apiserver.authz.rbac.PolicyRule.newRule;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.clusterBinding;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.group;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.rule;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.user;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.who;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.authz.PrivilegedGroupAuthorizer;
import io.kubetwin.apiserver.authz.UnionAuthorizer;
import io.kubetwin.apiserver.testing.Golden;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EscalationCheckTest {
    private static final UserInfo ALICE = who("alice", "devs", "qa", "system:authenticated");
    private static final UserInfo BOB = who("bob", "devs", "qa", "system:authenticated");
    private static final UserInfo ROOT = who("root", "system:masters");

    /**
     * The cluster the golden/rbac/observed/escalation-* bodies were recorded on: the v1.34.4 bootstrap policy plus
     * the objects created with kubectl (see golden/rbac/observed/README.md).
     */
    private static RbacPolicyIndex scenario(boolean withBroken2, Object... extra) {
        RbacPolicyIndex index = BootstrapPolicy.load().newIndex();
        index.put(ClusterRole.of(
                "pod-reader",
                newRule("get", "list").groups("").resources("pods").build()));
        index.put(clusterBinding("b-readers", "pod-reader", group("devs")));
        index.put(clusterBinding("a-readers", "pod-reader", user("alice")));
        index.put(RoleBinding.of("team", "broken", RoleRef.role("missing"), user("bob")));
        if (withBroken2) {
            index.put(RoleBinding.of("team", "broken2", RoleRef.clusterRole("missing2"), user("bob")));
        }
        index.put(Role.of(
                "team",
                "role-writer",
                newRule("create", "update")
                        .groups(Rbac.GROUP)
                        .resources("roles", "rolebindings")
                        .build()));
        index.put(RoleBinding.of("team", "alice-role-writer", RoleRef.role("role-writer"), user("alice")));
        index.put(RoleBinding.of("team", "bob-role-writer", RoleRef.role("role-writer"), user("bob")));
        index.put(ClusterRole.of(
                "cr-writer",
                newRule("create")
                        .groups(Rbac.GROUP)
                        .resources("clusterroles", "clusterrolebindings")
                        .build()));
        index.put(clusterBinding("alice-cr-writer", "cr-writer", user("alice")));
        index.put(Role.of("team", "big", rule("*", "*", "*")));
        for (Object o : extra) {
            if (o instanceof Role r) index.put(r);
            else if (o instanceof RoleBinding b) index.put(b);
            else if (o instanceof ClusterRole r) index.put(r);
            else if (o instanceof ClusterRoleBinding b) index.put(b);
        }
        return index;
    }

    private static EscalationCheck checker(RbacPolicyIndex index) {
        return new EscalationCheck(
                index, UnionAuthorizer.of(PrivilegedGroupAuthorizer.systemMasters(), new RbacAuthorizer(index)));
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) Golden.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The request bodies sent to kube-apiserver v1.34.4, and the golden file holding its answer. */
    static Stream<Arguments> observed() {
        return Stream.of(
                Arguments.of(
                        "escalation-role-ci-cd",
                        ALICE,
                        false,
                        Rbac.ROLES,
                        "team",
                        "{\"kind\":\"Role\",\"metadata\":{\"name\":\"ci-cd\"},\"rules\":["
                                + "{\"apiGroups\":[\"\"],\"resources\":[\"persistentvolumeclaims\"],\"verbs\":[\"get\",\"list\",\"watch\",\"patch\"]},"
                                + "{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\",\"delete\"]},"
                                + "{\"apiGroups\":[\"\",\"apps\"],\"resources\":[\"secrets\",\"deployments/scale\"],\"resourceNames\":[\"b\",\"a\"],\"verbs\":[\"get\"]}]}"),
                Arguments.of(
                        "escalation-clusterrole-urls",
                        ALICE,
                        false,
                        Rbac.CLUSTER_ROLES,
                        "",
                        "{\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"urls\"},\"rules\":["
                                + "{\"nonResourceURLs\":[\"/metrics\",\"/healthz/*\"],\"verbs\":[\"get\",\"post\"]},"
                                + "{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"list\"]}]}"),
                Arguments.of(
                        "escalation-aggregation-rule",
                        ALICE,
                        false,
                        Rbac.CLUSTER_ROLES,
                        "",
                        "{\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"agg\"},"
                                + "\"aggregationRule\":{\"clusterRoleSelectors\":[{\"matchLabels\":{\"x\":\"y\"}}]}}"),
                Arguments.of(
                        "escalation-crb-cluster-admin",
                        ALICE,
                        false,
                        Rbac.CLUSTER_ROLE_BINDINGS,
                        "",
                        "{\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"grab\"},"
                                + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"},"
                                + "\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}]}"),
                Arguments.of(
                        "escalation-rb-role",
                        ALICE,
                        false,
                        Rbac.ROLE_BINDINGS,
                        "team",
                        "{\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"bb\"},"
                                + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"big\"},"
                                + "\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}]}"),
                Arguments.of(
                        "escalation-rb-missing-clusterrole",
                        ALICE,
                        false,
                        Rbac.ROLE_BINDINGS,
                        "team",
                        "{\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"grab2\"},"
                                + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"nope\"},"
                                + "\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}]}"),
                Arguments.of(
                        "escalation-crb-missing-clusterrole",
                        ALICE,
                        false,
                        Rbac.CLUSTER_ROLE_BINDINGS,
                        "",
                        "{\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"grab4\"},"
                                + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"nope\"},"
                                + "\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}]}"),
                Arguments.of(
                        "escalation-role-resolution-error",
                        BOB,
                        false,
                        Rbac.ROLES,
                        "team",
                        "{\"kind\":\"Role\",\"metadata\":{\"name\":\"x\"},"
                                + "\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"verbs\":[\"get\"]}]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("observed")
    void createMatchesRecordedKubeApiserver(
            String golden, UserInfo user, boolean withBroken2, String resource, String namespace, String body) {
        Optional<StatusException> error =
                checker(scenario(withBroken2)).check(user, resource, namespace, "", json(body), null);
        assertTrue(error.isPresent(), "expected a refusal");
        assertEquals(Golden.json("rbac/observed/" + golden + ".json"), Golden.body(error.get()));
    }

    @Test
    void twoResolutionErrorsAreNestedInBrackets() {
        Optional<StatusException> error = checker(scenario(true))
                .check(
                        BOB,
                        Rbac.ROLES,
                        "team",
                        "",
                        json(
                                "{\"metadata\":{\"name\":\"x\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"verbs\":[\"get\"]}]}"),
                        null);
        assertEquals(
                Golden.text("rbac/observed/escalation-role-two-resolution-errors.txt")
                        .strip(),
                error.orElseThrow().getMessage());
    }

    @Test
    void specObservedExample() {
        RbacPolicyIndex index = BootstrapPolicy.load().newIndex();
        UserInfo demo = who("demo@example.com", "system:authenticated");
        Optional<StatusException> error = checker(index)
                .checkRole(
                        demo,
                        "default",
                        "",
                        List.of(newRule("get", "list", "watch", "patch")
                                .groups("")
                                .resources("persistentvolumeclaims")
                                .build()),
                        "ci-cd",
                        false);
        assertEquals(
                "roles.rbac.authorization.k8s.io \"ci-cd\" is forbidden: user \"demo@example.com\" "
                        + "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
                        + "{APIGroups:[\"\"], Resources:[\"persistentvolumeclaims\"], Verbs:[\"get\" \"list\" \"watch\" \"patch\"]}",
                error.orElseThrow().getMessage());
        assertEquals(403, error.get().code());
    }

    static Stream<Arguments> bypasses() {
        Role escalateAny = Role.of(
                "team",
                "esc",
                newRule("escalate").groups(Rbac.GROUP).resources("roles").build());
        Role escalateNamed = Role.of(
                "team",
                "esc",
                newRule("escalate")
                        .groups(Rbac.GROUP)
                        .resources("roles")
                        .names("big2")
                        .build());
        RoleBinding aliceEsc = RoleBinding.of("team", "alice-esc", RoleRef.role("esc"), user("alice"));
        ClusterRole bindAdmin = ClusterRole.of(
                "binder",
                newRule("bind")
                        .groups(Rbac.GROUP)
                        .resources("clusterroles")
                        .names("cluster-admin")
                        .build());
        RoleBinding aliceBinder = RoleBinding.of("team", "alice-binder", RoleRef.clusterRole("binder"), user("alice"));
        ClusterRole bindAny = ClusterRole.of(
                "bind-any",
                newRule("bind").groups(Rbac.GROUP).resources("clusterroles").build());
        ClusterRoleBinding aliceBinderEverywhere = clusterBinding("alice-binder", "binder", user("alice"));
        String bigRole =
                "{\"metadata\":{\"name\":\"big2\"},\"rules\":[{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]}]}";
        String adminRb =
                "{\"metadata\":{\"name\":\"admin-rb\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"}}";
        return Stream.of(
                Arguments.of("masters may grant anything", ROOT, new Object[0], Rbac.ROLES, "team", "", bigRole, false),
                Arguments.of(
                        "masters may bind a missing role",
                        ROOT,
                        new Object[0],
                        Rbac.ROLE_BINDINGS,
                        "team",
                        "",
                        adminRb.replace("cluster-admin", "nope"),
                        false),
                Arguments.of("without escalate", ALICE, new Object[0], Rbac.ROLES, "team", "", bigRole, true),
                Arguments.of(
                        "escalate on roles in the namespace",
                        ALICE,
                        new Object[] {escalateAny, aliceEsc},
                        Rbac.ROLES,
                        "team",
                        "",
                        bigRole,
                        false),
                Arguments.of(
                        "escalate is per namespace",
                        ALICE,
                        new Object[] {escalateAny, aliceEsc},
                        Rbac.ROLES,
                        "other",
                        "",
                        bigRole,
                        true),
                Arguments.of(
                        "escalate with resourceNames does not cover a create (no name in the URL)",
                        ALICE,
                        new Object[] {escalateNamed, aliceEsc},
                        Rbac.ROLES,
                        "team",
                        "",
                        bigRole,
                        true),
                Arguments.of(
                        "escalate with resourceNames covers an update of that name",
                        ALICE,
                        new Object[] {escalateNamed, aliceEsc},
                        Rbac.ROLES,
                        "team",
                        "big2",
                        bigRole,
                        false),
                Arguments.of("without bind", ALICE, new Object[0], Rbac.ROLE_BINDINGS, "team", "", adminRb, true),
                Arguments.of(
                        "bind on the cluster role in the namespace",
                        ALICE,
                        new Object[] {bindAdmin, aliceBinder},
                        Rbac.ROLE_BINDINGS,
                        "team",
                        "",
                        adminRb,
                        false),
                Arguments.of(
                        "bind granted in a namespace does not allow a cluster role binding",
                        ALICE,
                        new Object[] {bindAdmin, aliceBinder},
                        Rbac.CLUSTER_ROLE_BINDINGS,
                        "",
                        "",
                        adminRb,
                        true),
                Arguments.of(
                        "bind granted cluster-wide",
                        ALICE,
                        new Object[] {bindAdmin, aliceBinderEverywhere},
                        Rbac.CLUSTER_ROLE_BINDINGS,
                        "",
                        "",
                        adminRb,
                        false),
                Arguments.of(
                        "bind comes before the role lookup (a missing role can be bound)",
                        ALICE,
                        new Object[] {bindAny, clusterBinding("alice-bind-any", "bind-any", user("alice"))},
                        Rbac.ROLE_BINDINGS,
                        "team",
                        "",
                        adminRb.replace("cluster-admin", "nope"),
                        false),
                Arguments.of(
                        "a covered role passes",
                        ALICE,
                        new Object[0],
                        Rbac.ROLES,
                        "team",
                        "",
                        "{\"metadata\":{\"name\":\"r\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"list\"]}]}",
                        false),
                Arguments.of(
                        "a binding to a covered role passes",
                        ALICE,
                        new Object[0],
                        Rbac.ROLE_BINDINGS,
                        "team",
                        "",
                        adminRb.replace("cluster-admin", "pod-reader"),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bypasses")
    void bypass(
            String description,
            UserInfo user,
            Object[] extra,
            String resource,
            String namespace,
            String requestName,
            String body,
            boolean refused) {
        Optional<StatusException> error =
                checker(scenario(false, extra)).check(user, resource, namespace, requestName, json(body), null);
        assertEquals(
                refused,
                error.isPresent(),
                () -> error.map(StatusException::getMessage).orElse("allowed"));
    }

    @Test
    void updateTouchingOnlyGcFieldsSkipsTheCheck() {
        EscalationCheck check = checker(scenario(false));
        ObjectNode old = json("{\"metadata\":{\"name\":\"big\",\"namespace\":\"team\",\"uid\":\"u1\"},"
                + "\"rules\":[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}]}");
        ObjectNode gcOnly = old.deepCopy();
        ((ObjectNode) gcOnly.get("metadata")).putArray("finalizers").add("example.com/keep");
        ((ObjectNode) gcOnly.get("metadata"))
                .putArray("ownerReferences")
                .addObject()
                .put("name", "o");
        ObjectNode ruleChange = gcOnly.deepCopy();
        ((ObjectNode) ruleChange.get("rules").get(0))
                .putArray("verbs")
                .add("get")
                .add("*");
        assertTrue(EscalationCheck.onlyGcFieldsChanged(gcOnly, old));
        assertFalse(EscalationCheck.onlyGcFieldsChanged(ruleChange, old));
        assertFalse(EscalationCheck.onlyGcFieldsChanged(gcOnly, null));
        assertEquals(Optional.empty(), check.check(ALICE, Rbac.ROLES, "team", "big", gcOnly, old));
        assertTrue(
                check.check(ALICE, Rbac.ROLES, "team", "big", ruleChange, old).isPresent());
        // an empty list and an absent field are the same to the comparison
        ObjectNode emptyLabels = old.deepCopy();
        ((ObjectNode) emptyLabels.get("metadata")).putObject("labels");
        assertTrue(EscalationCheck.onlyGcFieldsChanged(emptyLabels, old));
    }

    @Test
    void removingAnAggregationRuleNeedsFullAuthority() {
        EscalationCheck check = checker(scenario(false));
        ClusterRole old = ClusterRole.of("agg")
                .withAggregationRule(AggregationRule.of(LabelSelector.matchLabels(Map.of("x", "y"))));
        ClusterRole updated = ClusterRole.of("agg");
        assertEquals(
                "clusterroles.rbac.authorization.k8s.io \"agg\" is forbidden: must have cluster-admin privileges to use the aggregationRule",
                check.checkClusterRole(ALICE, "agg", updated, old, false)
                        .orElseThrow()
                        .getMessage());
        assertEquals(Optional.empty(), check.checkClusterRole(ALICE, "agg", updated, ClusterRole.of("agg"), false));
        // an aggregationRule with no selectors is not "using" it
        assertEquals(
                Optional.empty(),
                check.checkClusterRole(
                        ALICE,
                        "",
                        ClusterRole.of("agg").withAggregationRule(new AggregationRule(List.of())),
                        null,
                        false));
    }

    @Test
    void roleReferenceKindNotSupportedIsAnInternalError() {
        StatusException e = checker(scenario(false))
                .checkBinding(ALICE, Rbac.ROLE_BINDINGS, "team", "x", new RoleRef(Rbac.GROUP, "Policy", "p"), false)
                .orElseThrow();
        assertEquals(500, e.code());
        assertEquals("Internal error occurred: unsupported role reference kind: \"Policy\"", e.getMessage());
    }

    @Test
    void clusterRoleBindingToARoleFailsLikeANamespacelessStorageRead() {
        StatusException e = checker(scenario(false))
                .checkBinding(ALICE, Rbac.CLUSTER_ROLE_BINDINGS, "", "x", RoleRef.role("big"), false)
                .orElseThrow();
        assertEquals(400, e.code());
        assertEquals("Namespace parameter required.", e.getMessage());
    }
}
