package io.kubetwin.apiserver.authz.rbac;

import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterRoleAggregatorTest {
    private static ClusterRole labelled(String name, Map<String, String> labels, PolicyRule... rules) {
        return ClusterRole.of(name, rules).withLabels(labels);
    }

    private static ClusterRole aggregating(String name, LabelSelector... selectors) {
        return ClusterRole.of(name).withAggregationRule(AggregationRule.of(selectors));
    }

    /** admin, edit and view as kube-controller-manager v1.34.4 aggregated the recorded bootstrap policy. */
    @Test
    void bootstrapAggregationMatchesKubeControllerManager() {
        List<JsonNode> expected = new ArrayList<>();
        Golden.json("rbac/aggregated-clusterroles.json").get("items").forEach(expected::add);
        List<JsonNode> actual = BootstrapPolicy.load().objectsWithAggregatedRules().stream()
                .filter(o -> o.has("aggregationRule"))
                .map(o -> (JsonNode) o)
                .toList();
        assertEquals(expected, actual);
    }

    @Test
    void reconcileReportsOnlyChangedRolesAndIsStableAfterwards() {
        List<ClusterRole> roles = BootstrapPolicy.load().clusterRoles();
        Map<String, List<PolicyRule>> changes = ClusterRoleAggregator.reconcile(roles);
        assertEquals(List.of("admin", "edit", "view"), List.copyOf(changes.keySet()));
        List<ClusterRole> applied = roles.stream()
                .map(r -> changes.containsKey(r.name()) ? r.withRules(changes.get(r.name())) : r)
                .toList();
        assertEquals(Map.of(), ClusterRoleAggregator.reconcile(applied));
    }

    static Stream<Arguments> selections() {
        PolicyRule a = rule("get", "", "a");
        PolicyRule b = rule("get", "", "b");
        PolicyRule c = rule("get", "", "c");
        List<ClusterRole> others = List.of(
                labelled("zeta", Map.of("tier", "x"), c, a),
                labelled("alpha", Map.of("tier", "x", "extra", "1"), a, b),
                labelled("mid", Map.of("tier", "y"), b),
                ClusterRole.of("unlabelled", rule("get", "", "d")));
        return Stream.of(
                // sorted by name, rules de-duplicated keeping the first occurrence
                Arguments.of(
                        aggregating("agg", LabelSelector.matchLabels(Map.of("tier", "x"))),
                        others,
                        Optional.of(List.of(a, b, c))),
                // selectors in order, each one's matches sorted by name
                Arguments.of(
                        aggregating(
                                "agg",
                                LabelSelector.matchLabels(Map.of("tier", "y")),
                                LabelSelector.matchLabels(Map.of("tier", "x"))),
                        others,
                        Optional.of(List.of(b, a, c))),
                Arguments.of(
                        aggregating(
                                "agg",
                                new LabelSelector(
                                        Map.of(),
                                        List.of(new LabelSelector.Requirement("tier", "In", List.of("y", "z"))))),
                        others,
                        Optional.of(List.of(b))),
                Arguments.of(
                        aggregating(
                                "agg",
                                new LabelSelector(
                                        Map.of(),
                                        List.of(new LabelSelector.Requirement("tier", "NotIn", List.of("x"))))),
                        others,
                        Optional.of(List.of(b, rule("get", "", "d")))),
                Arguments.of(
                        aggregating(
                                "agg",
                                new LabelSelector(
                                        Map.of(),
                                        List.of(new LabelSelector.Requirement("extra", "Exists", List.of())))),
                        others,
                        Optional.of(List.of(a, b))),
                Arguments.of(
                        aggregating(
                                "agg",
                                new LabelSelector(
                                        Map.of("tier", "x"),
                                        List.of(new LabelSelector.Requirement("extra", "DoesNotExist", List.of())))),
                        others,
                        Optional.of(List.of(c, a))),
                // an empty selector selects every other role (never the role itself)
                Arguments.of(
                        aggregating("agg", new LabelSelector(Map.of(), List.of())),
                        others,
                        Optional.of(List.of(a, b, rule("get", "", "d"), c))),
                // an aggregationRule without selectors empties the rules
                Arguments.of(aggregating("agg"), others, Optional.of(List.of())),
                // an invalid selector: the controller gives up
                Arguments.of(
                        aggregating(
                                "agg",
                                new LabelSelector(
                                        Map.of(), List.of(new LabelSelector.Requirement("tier", "In", List.of())))),
                        others,
                        Optional.empty()),
                Arguments.of(
                        aggregating(
                                "agg",
                                new LabelSelector(
                                        Map.of(),
                                        List.of(new LabelSelector.Requirement("tier", "Equals", List.of("x"))))),
                        others,
                        Optional.empty()),
                // no aggregationRule: nothing to do
                Arguments.of(ClusterRole.of("plain", a), others, Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("selections")
    void aggregatedRules(ClusterRole target, List<ClusterRole> others, Optional<List<PolicyRule>> expected) {
        List<ClusterRole> all = new ArrayList<>(others);
        all.add(target);
        assertEquals(expected, ClusterRoleAggregator.aggregatedRules(target, all));
    }

    @Test
    void selfMatchingRoleIsSkipped() {
        ClusterRole self = aggregating("self", LabelSelector.matchLabels(Map.of("t", "1")))
                .withLabels(Map.of("t", "1"))
                .withRules(List.of(rule("get", "", "old")));
        ClusterRole other = labelled("other", Map.of("t", "1"), rule("get", "", "new"));
        assertEquals(
                Optional.of(List.of(rule("get", "", "new"))),
                ClusterRoleAggregator.aggregatedRules(self, List.of(self, other)));
    }

    @Test
    void chainedAggregationReachesAFixedPoint() {
        ClusterRole view = aggregating("view", LabelSelector.matchLabels(Map.of("to-view", "true")))
                .withLabels(Map.of("to-edit", "true"));
        ClusterRole edit = aggregating("edit", LabelSelector.matchLabels(Map.of("to-edit", "true")))
                .withLabels(Map.of("to-admin", "true"));
        ClusterRole admin = aggregating("admin", LabelSelector.matchLabels(Map.of("to-admin", "true")));
        ClusterRole readPods = labelled("read-pods", Map.of("to-view", "true"), rule("get", "", "pods"));
        Map<String, List<PolicyRule>> changes = ClusterRoleAggregator.reconcile(List.of(admin, edit, view, readPods));
        assertEquals(
                Map.of(
                        "admin",
                        List.of(rule("get", "", "pods")),
                        "edit",
                        List.of(rule("get", "", "pods")),
                        "view",
                        List.of(rule("get", "", "pods"))),
                changes);
    }
}
