package io.kubetwin.apiserver.authz.rbac;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Whether one set of rules grants at least everything another does. Mirrors
 * staging/src/k8s.io/component-helpers/auth/rbac/validation/policy_comparator.go: each servant rule is broken down
 * into atomic rules (one group, resource, verb and at most one name; or one URL and verb), and each atomic rule must
 * be covered by a single owner rule. Stateless.
 */
public final class PolicyComparator {
    private PolicyComparator() {}

    /** The outcome of {@link #covers}: {@code missing} holds the atomic rules no owner rule covers, in order. */
    public record Coverage(boolean covered, List<PolicyRule> missing) {
        public Coverage {
            missing = List.copyOf(missing);
        }
    }

    public static Coverage covers(List<PolicyRule> ownerRules, List<PolicyRule> servantRules) {
        List<PolicyRule> uncovered = new ArrayList<>();
        for (PolicyRule servant : servantRules) {
            for (PolicyRule sub : breakdown(servant)) {
                boolean covered = false;
                for (PolicyRule owner : ownerRules) {
                    if (ruleCovers(owner, sub)) {
                        covered = true;
                        break;
                    }
                }
                if (!covered) {
                    uncovered.add(sub);
                }
            }
        }
        return new Coverage(uncovered.isEmpty(), uncovered);
    }

    /**
     * BreakdownRule: groups × resources × verbs (× names), then URLs × verbs. A rule with resources but no groups
     * yields nothing, exactly as upstream.
     */
    public static List<PolicyRule> breakdown(PolicyRule rule) {
        List<PolicyRule> out = new ArrayList<>();
        for (String group : rule.apiGroups()) {
            for (String resource : rule.resources()) {
                for (String verb : rule.verbs()) {
                    if (rule.resourceNames().isEmpty()) {
                        out.add(new PolicyRule(List.of(verb), List.of(group), List.of(resource), List.of(), List.of()));
                    } else {
                        for (String name : rule.resourceNames()) {
                            out.add(new PolicyRule(
                                    List.of(verb), List.of(group), List.of(resource), List.of(name), List.of()));
                        }
                    }
                }
            }
        }
        for (String url : rule.nonResourceURLs()) {
            for (String verb : rule.verbs()) {
                out.add(new PolicyRule(List.of(verb), List.of(), List.of(), List.of(), List.of(url)));
            }
        }
        return out;
    }

    /** ruleCovers: the owner rule (any shape) covers the atomic sub rule. */
    static boolean ruleCovers(PolicyRule owner, PolicyRule sub) {
        boolean verbs = owner.verbs().contains(Rbac.VERB_ALL) || hasAll(owner.verbs(), sub.verbs());
        boolean groups = owner.apiGroups().contains(Rbac.API_GROUP_ALL) || hasAll(owner.apiGroups(), sub.apiGroups());
        boolean resources = resourceCoversAll(owner.resources(), sub.resources());
        boolean urls = nonResourceURLsCoverAll(owner.nonResourceURLs(), sub.nonResourceURLs());
        boolean names = sub.resourceNames().isEmpty()
                ? owner.resourceNames().isEmpty()
                : owner.resourceNames().isEmpty() || hasAll(owner.resourceNames(), sub.resourceNames());
        return verbs && groups && resources && names && urls;
    }

    private static boolean hasAll(List<String> set, List<String> contains) {
        return new HashSet<>(set).containsAll(contains);
    }

    private static boolean resourceCoversAll(List<String> owner, List<String> covers) {
        if (owner.contains(Rbac.RESOURCE_ALL) || hasAll(owner, covers)) {
            return true;
        }
        for (String path : covers) {
            if (owner.contains(path)) {
                continue;
            }
            int slash = path.indexOf('/');
            if (slash < 0) {
                return false;
            }
            if (!owner.contains("*/" + path.substring(slash + 1))) {
                return false;
            }
        }
        return true;
    }

    private static boolean nonResourceURLsCoverAll(List<String> owner, List<String> covers) {
        for (String path : covers) {
            boolean covered = false;
            for (String o : owner) {
                if (nonResourceURLCovers(o, path)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    private static boolean nonResourceURLCovers(String owner, String sub) {
        return owner.equals(sub) || owner.endsWith("*") && sub.startsWith(RuleMatching.trimTrailingStars(owner));
    }
}
