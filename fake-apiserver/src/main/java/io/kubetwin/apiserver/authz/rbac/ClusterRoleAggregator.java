package io.kubetwin.apiserver.authz.rbac;

import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes what the clusterrole-aggregation controller writes into {@code .rules} of a ClusterRole with an
 * aggregationRule. Mirrors syncClusterRole in pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go
 * (kube-controller-manager): for each selector in order, the matching ClusterRoles sorted by name (the role itself
 * skipped), their rules appended in order unless an equal rule is already there.
 *
 * <p>Aggregated roles can feed each other ({@code edit} carries {@code aggregate-to-admin}), and the controller
 * re-syncs every aggregated role whenever any ClusterRole changes; {@link #reconcile} therefore repeats until
 * nothing changes. Stateless.
 */
public final class ClusterRoleAggregator {
    /** Bound on re-sync rounds, so that roles aggregating each other in a cycle cannot loop forever. */
    static final int MAX_ROUNDS = 32;

    private ClusterRoleAggregator() {}

    /**
     * The rules the controller would write into {@code target}, given all cluster roles. Empty when the role has
     * no aggregationRule, or when a selector is invalid (the controller gives up on that role).
     */
    public static Optional<List<PolicyRule>> aggregatedRules(ClusterRole target, Collection<ClusterRole> all) {
        if (target.aggregationRule() == null) {
            return Optional.empty();
        }
        List<ClusterRole> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(ClusterRole::name, GoText.ORDER));
        List<PolicyRule> rules = new ArrayList<>();
        for (LabelSelector selector : target.aggregationRule().clusterRoleSelectors()) {
            for (ClusterRole candidate : sorted) {
                boolean selected;
                try {
                    selected = selector.matches(candidate.labels());
                } catch (IllegalArgumentException invalid) {
                    return Optional.empty();
                }
                if (!selected || candidate.name().equals(target.name())) {
                    continue;
                }
                for (PolicyRule rule : candidate.rules()) {
                    if (!rules.contains(rule)) {
                        rules.add(rule);
                    }
                }
            }
        }
        return Optional.of(List.copyOf(rules));
    }

    /**
     * Runs the controller to a fixed point over {@code all} and returns, by role name in name order, the new rules
     * of every aggregated role whose rules change. Empty when everything is already aggregated.
     */
    public static Map<String, List<PolicyRule>> reconcile(Collection<ClusterRole> all) {
        Map<String, ClusterRole> current = new LinkedHashMap<>();
        all.stream()
                .sorted(Comparator.comparing(ClusterRole::name, GoText.ORDER))
                .forEach(r -> current.put(r.name(), r));
        Map<String, List<PolicyRule>> changed = new LinkedHashMap<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean any = false;
            for (ClusterRole role : List.copyOf(current.values())) {
                Optional<List<PolicyRule>> rules = aggregatedRules(role, current.values());
                if (rules.isPresent() && !rules.get().equals(role.rules())) {
                    current.put(role.name(), role.withRules(rules.get()));
                    changed.put(role.name(), rules.get());
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        Map<String, List<PolicyRule>> result = new LinkedHashMap<>();
        changed.keySet().stream().sorted(GoText.ORDER).forEach(name -> {
            List<PolicyRule> rules = changed.get(name);
            if (!rules.equals(all.stream()
                    .filter(r -> r.name().equals(name))
                    .findFirst()
                    .map(ClusterRole::rules)
                    .orElse(null))) {
                result.put(name, rules);
            }
        });
        return result;
    }
}
