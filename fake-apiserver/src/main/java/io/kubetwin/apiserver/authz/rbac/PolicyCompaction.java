package io.kubetwin.apiserver.authz.rbac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges rules that differ only by verb. Mirrors CompactRules in pkg/registry/rbac/validation/policy_compact.go:
 * a "simple" rule (one group, one resource, at most one name, no URLs) is merged with earlier simple rules for the
 * same group/resource/name by appending its verbs (duplicates kept, order kept); other rules pass through.
 * Upstream emits the merged rules in Go map order; every caller sorts the result, so order here is irrelevant.
 */
public final class PolicyCompaction {
    private PolicyCompaction() {}

    private record SimpleResource(String group, String resource, boolean hasName, String name) {}

    public static List<PolicyRule> compact(List<PolicyRule> rules) {
        List<PolicyRule> compacted = new ArrayList<>();
        Map<SimpleResource, List<String>> verbs = new LinkedHashMap<>();
        Map<SimpleResource, PolicyRule> firsts = new LinkedHashMap<>();
        for (PolicyRule rule : rules) {
            SimpleResource key = simpleKey(rule);
            if (key == null) {
                compacted.add(rule);
                continue;
            }
            firsts.putIfAbsent(key, rule);
            verbs.computeIfAbsent(key, k -> new ArrayList<>()).addAll(rule.verbs());
        }
        firsts.forEach((key, first) -> compacted.add(new PolicyRule(
                verbs.get(key), first.apiGroups(), first.resources(), first.resourceNames(), List.of())));
        return compacted;
    }

    /** isSimpleResourceRule: exactly one group and one resource, at most one name, no URLs. */
    private static SimpleResource simpleKey(PolicyRule rule) {
        if (rule.resourceNames().size() > 1 || !rule.nonResourceURLs().isEmpty()) {
            return null;
        }
        if (rule.apiGroups().size() != 1 || rule.resources().size() != 1) {
            return null;
        }
        return rule.resourceNames().isEmpty()
                ? new SimpleResource(rule.apiGroups().get(0), rule.resources().get(0), false, "")
                : new SimpleResource(
                        rule.apiGroups().get(0),
                        rule.resources().get(0),
                        true,
                        rule.resourceNames().get(0));
    }
}
