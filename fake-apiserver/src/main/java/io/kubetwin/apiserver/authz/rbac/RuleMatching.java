package io.kubetwin.apiserver.authz.rbac;

import io.kubetwin.auth.attributes.Attributes;
import java.util.Collection;

/**
 * Whether one rule allows one request. Mirrors RuleAllows in plugin/pkg/auth/authorizer/rbac/rbac.go and the
 * matchers of pkg/apis/rbac/v1/evaluation_helpers.go:
 * <ul>
 *   <li>resource request: verb, API group, resource (exact {@code res} or {@code res/sub}, {@code *}, or
 *       {@code *}/{@code sub} for a subresource), and resource name (rule without names matches any name);</li>
 *   <li>non-resource request: verb and URL (exact, {@code *}, or a prefix when the rule ends in {@code *}).</li>
 * </ul>
 * Stateless.
 */
public final class RuleMatching {
    private RuleMatching() {}

    public static boolean allows(Attributes request, PolicyRule rule) {
        if (request.resourceRequest()) {
            String combined = request.subresource().isEmpty()
                    ? request.resource()
                    : request.resource() + "/" + request.subresource();
            return verbMatches(rule, request.verb())
                    && apiGroupMatches(rule, request.apiGroup())
                    && resourceMatches(rule, combined, request.subresource())
                    && resourceNameMatches(rule, request.name());
        }
        return verbMatches(rule, request.verb()) && nonResourceURLMatches(rule, request.path());
    }

    /** RulesAllow: any of the rules allows. */
    public static boolean anyAllows(Attributes request, Collection<PolicyRule> rules) {
        for (PolicyRule rule : rules) {
            if (allows(request, rule)) {
                return true;
            }
        }
        return false;
    }

    public static boolean verbMatches(PolicyRule rule, String verb) {
        for (String v : rule.verbs()) {
            if (v.equals(Rbac.VERB_ALL) || v.equals(verb)) {
                return true;
            }
        }
        return false;
    }

    public static boolean apiGroupMatches(PolicyRule rule, String group) {
        for (String g : rule.apiGroups()) {
            if (g.equals(Rbac.API_GROUP_ALL) || g.equals(group)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param combined    {@code resource} or {@code resource/subresource}
     * @param subresource the subresource alone ("" for none)
     */
    public static boolean resourceMatches(PolicyRule rule, String combined, String subresource) {
        for (String r : rule.resources()) {
            if (r.equals(Rbac.RESOURCE_ALL) || r.equals(combined)) {
                return true;
            }
            if (!subresource.isEmpty()
                    && r.length() == subresource.length() + 2
                    && r.startsWith("*/")
                    && r.endsWith(subresource)) {
                return true;
            }
        }
        return false;
    }

    public static boolean resourceNameMatches(PolicyRule rule, String name) {
        return rule.resourceNames().isEmpty() || rule.resourceNames().contains(name);
    }

    public static boolean nonResourceURLMatches(PolicyRule rule, String path) {
        for (String url : rule.nonResourceURLs()) {
            if (url.equals(Rbac.NON_RESOURCE_ALL) || url.equals(path)) {
                return true;
            }
            if (url.endsWith("*") && path.startsWith(trimTrailingStars(url))) {
                return true;
            }
        }
        return false;
    }

    /** strings.TrimRight(url, "*"): every trailing star goes. */
    static String trimTrailingStars(String url) {
        int end = url.length();
        while (end > 0 && url.charAt(end - 1) == '*') {
            end--;
        }
        return url.substring(0, end);
    }
}
