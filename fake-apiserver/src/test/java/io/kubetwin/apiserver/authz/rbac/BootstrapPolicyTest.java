package io.kubetwin.apiserver.authz.rbac;

import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.path;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.request;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.who;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authz.SubjectRules;
import io.kubetwin.apiserver.features.FeatureGates;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Decision;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BootstrapPolicyTest {
    private static final BootstrapPolicy POLICY = BootstrapPolicy.load();
    private static final RbacAuthorizer RBAC = new RbacAuthorizer(POLICY.newIndex());

    private static final UserInfo ANONYMOUS = UserInfo.anonymous();
    private static final UserInfo ALICE = who("alice", "system:authenticated");
    private static final UserInfo DEFAULT_SA = who(
            "system:serviceaccount:default:default",
            "system:serviceaccounts",
            "system:serviceaccounts:default",
            "system:authenticated");

    @Test
    void everyObjectIsLabelledAndAnnotatedAsBootstrapPolicy() {
        List<ObjectNode> objects = POLICY.objects();
        assertEquals(131, objects.size());
        Map<String, Long> kinds = objects.stream()
                .collect(Collectors.groupingBy(o -> o.get("kind").asText(), TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("ClusterRole", 68L, "ClusterRoleBinding", 49L, "Role", 7L, "RoleBinding", 7L), kinds);
        for (ObjectNode o : objects) {
            assertEquals(
                    "rbac-defaults",
                    o.at("/metadata/labels/kubernetes.io~1bootstrapping").asText(),
                    o.toString());
            assertEquals(
                    "true",
                    o.at("/metadata/annotations/rbac.authorization.kubernetes.io~1autoupdate")
                            .asText());
            assertFalse(o.get("metadata").has("uid"));
            assertFalse(o.get("metadata").has("resourceVersion"));
        }
    }

    @Test
    void namespacedObjectsLiveInKubeSystemAndKubePublic() {
        assertEquals(
                List.of("kube-public", "kube-system"),
                POLICY.roles().stream().map(Role::namespace).distinct().sorted().toList());
        assertTrue(POLICY.roleBindings().stream()
                .anyMatch(b -> b.namespace().equals("kube-system")
                        && b.name().equals("system::extension-apiserver-authentication-reader")));
    }

    @Test
    void accessorsReturnCopies() {
        POLICY.objects().get(0).put("kind", "Changed");
        assertEquals("ClusterRole", POLICY.objects().get(0).get("kind").asText());
    }

    @Test
    void keysOfObjects() {
        assertEquals(
                new ObjectKey(Rbac.GROUP, Rbac.CLUSTER_ROLES, "", "admin"),
                BootstrapPolicy.keyOf(POLICY.objects().get(0)));
    }

    @Test
    void anonymousGetsOnlyThePublicInfoViewerUrls() {
        SubjectRules rules = RBAC.rulesFor(ANONYMOUS, "default");
        assertEquals(List.of(), rules.resourceRules());
        assertEquals(
                List.of(new SubjectRules.NonResourceRule(
                        List.of("get"), List.of("/healthz", "/livez", "/readyz", "/version", "/version/"))),
                rules.nonResourceRules());
        assertEquals("", rules.evaluationError());
    }

    @Test
    void authenticatedUsersGetSelfReviewsAndDiscovery() {
        SubjectRules rules = RBAC.rulesFor(ALICE, "default");
        assertEquals(
                List.of(
                        new SubjectRules.ResourceRule(
                                List.of("create"),
                                List.of("authorization.k8s.io"),
                                List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                                List.of()),
                        new SubjectRules.ResourceRule(
                                List.of("create"),
                                List.of("authentication.k8s.io"),
                                List.of("selfsubjectreviews"),
                                List.of())),
                rules.resourceRules());
        assertEquals(
                List.of(
                        new SubjectRules.NonResourceRule(
                                List.of("get"),
                                List.of(
                                        "/api",
                                        "/api/*",
                                        "/apis",
                                        "/apis/*",
                                        "/healthz",
                                        "/livez",
                                        "/openapi",
                                        "/openapi/*",
                                        "/readyz",
                                        "/version",
                                        "/version/")),
                        new SubjectRules.NonResourceRule(
                                List.of("get"), List.of("/healthz", "/livez", "/readyz", "/version", "/version/"))),
                rules.nonResourceRules());
        // service accounts additionally get the OIDC discovery URLs
        assertEquals(
                List.of(
                        "/.well-known/openid-configuration",
                        "/.well-known/openid-configuration/",
                        "/openid/v1/jwks",
                        "/openid/v1/jwks/"),
                RBAC.rulesFor(DEFAULT_SA, "default").nonResourceRules().get(2).nonResourceURLs());
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                Arguments.of(
                        path(ANONYMOUS, "get", "/version"),
                        Decision.allow(
                                "RBAC: allowed by ClusterRoleBinding \"system:public-info-viewer\" of ClusterRole \"system:public-info-viewer\" to Group \"system:unauthenticated\"")),
                Arguments.of(path(ANONYMOUS, "get", "/metrics"), Decision.noOpinion("")),
                Arguments.of(path(ANONYMOUS, "get", "/api"), Decision.noOpinion("")),
                Arguments.of(
                        path(ALICE, "get", "/apis/apps/v1"),
                        Decision.allow(
                                "RBAC: allowed by ClusterRoleBinding \"system:discovery\" of ClusterRole \"system:discovery\" to Group \"system:authenticated\"")),
                Arguments.of(
                        request(ALICE, "create", "authorization.k8s.io", "selfsubjectaccessreviews", ""),
                        Decision.allow(
                                "RBAC: allowed by ClusterRoleBinding \"system:basic-user\" of ClusterRole \"system:basic-user\" to Group \"system:authenticated\"")),
                Arguments.of(
                        request(ANONYMOUS, "create", "authorization.k8s.io", "selfsubjectaccessreviews", ""),
                        Decision.noOpinion("")),
                Arguments.of(request(ALICE, "list", "", "pods", "default"), Decision.noOpinion("")),
                Arguments.of(
                        path(DEFAULT_SA, "get", "/openid/v1/jwks"),
                        Decision.allow(
                                "RBAC: allowed by ClusterRoleBinding \"system:service-account-issuer-discovery\" of ClusterRole \"system:service-account-issuer-discovery\" to Group \"system:serviceaccounts\"")),
                Arguments.of(
                        request(who("root", "system:masters"), "delete", "", "nodes", ""),
                        Decision.allow(
                                "RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of ClusterRole \"cluster-admin\" to Group \"system:masters\"")),
                Arguments.of(
                        path(who("root", "system:masters"), "post", "/anything"),
                        Decision.allow(
                                "RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of ClusterRole \"cluster-admin\" to Group \"system:masters\"")),
                Arguments.of(
                        request(who("system:kube-scheduler"), "create", "", "bindings", "default"),
                        Decision.allow(
                                "RBAC: allowed by ClusterRoleBinding \"system:kube-scheduler\" of ClusterRole \"system:kube-scheduler\" to User \"system:kube-scheduler\"")),
                // kube-system role bindings: the leader-locking role for the controller manager
                Arguments.of(
                        Attributes.resource(
                                who("system:kube-controller-manager"),
                                "update",
                                "coordination.k8s.io",
                                "leases",
                                "",
                                "kube-system",
                                "kube-controller-manager"),
                        Decision.allow(
                                "RBAC: allowed by ClusterRoleBinding \"system:kube-controller-manager\" of ClusterRole \"system:kube-controller-manager\" to User \"system:kube-controller-manager\"")),
                // system:node is bound to nobody: nodes get nothing from RBAC
                Arguments.of(
                        request(who("system:node:n1", "system:nodes"), "list", "", "pods", ""),
                        Decision.noOpinion("")));
    }

    @ParameterizedTest
    @MethodSource("decisions")
    void decisions(Attributes request, Decision expected) {
        assertEquals(expected, RBAC.authorize(request));
    }

    @Test
    void aggregatedRolesNest() {
        RbacPolicyIndex index = POLICY.newIndex();
        List<PolicyRule> view = index.clusterRole("view").orElseThrow().rules();
        List<PolicyRule> edit = index.clusterRole("edit").orElseThrow().rules();
        List<PolicyRule> admin = index.clusterRole("admin").orElseThrow().rules();
        assertTrue(PolicyComparator.covers(edit, view).covered());
        assertTrue(PolicyComparator.covers(admin, edit).covered());
        assertFalse(PolicyComparator.covers(view, List.of(PolicyRule.rule("get", "", "secrets")))
                .covered());
        assertTrue(PolicyComparator.covers(edit, List.of(PolicyRule.rule("get", "", "secrets")))
                .covered());
    }

    @Test
    void release133sGatesTakeOutWhatBootstrappolicyAddsForThem() {
        FeatureGates at133 = FeatureGates.parse(List.of(), List.of("1.33"));
        BootstrapPolicy gated = POLICY.withGates(at133::enabled);
        List<String> removed = POLICY.objects().stream()
                .map(o -> o.get("kind").asText() + " " + o.at("/metadata/name").asText())
                .filter(k -> gated.objects().stream()
                        .noneMatch(o -> (o.get("kind").asText() + " "
                                        + o.at("/metadata/name").asText())
                                .equals(k)))
                .toList();
        assertEquals(
                List.of(
                        "ClusterRole system:controller:resource-claim-controller",
                        "ClusterRole system:controller:volumeattributesclass-protection-controller",
                        "ClusterRoleBinding system:controller:resource-claim-controller",
                        "ClusterRoleBinding system:controller:volumeattributesclass-protection-controller"),
                removed.stream().sorted().toList());
        Map<String, Integer> fewerRules = new TreeMap<>();
        for (ClusterRole role : POLICY.clusterRoles()) {
            gated.clusterRoles().stream()
                    .filter(r -> r.name().equals(role.name()))
                    .findFirst()
                    .filter(r -> r.rules().size() != role.rules().size())
                    .ifPresent(r -> fewerRules.put(
                            role.name(), role.rules().size() - r.rules().size()));
        }
        assertEquals(
                Map.of(
                        "system:aggregate-to-edit", 1,
                        "system:aggregate-to-view", 1,
                        "system:kube-scheduler", 5,
                        "system:node", 3),
                fewerRules);
        assertEquals(
                POLICY.objects(),
                POLICY.withGates(FeatureGates.defaults()::enabled).objects(),
                "v1.34's defaults are the recording");
    }
}
