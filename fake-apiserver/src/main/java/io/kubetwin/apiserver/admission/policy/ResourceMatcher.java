package io.kubetwin.apiserver.admission.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.EquivalentResources;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.admission.policy.Policies.MatchResources;
import io.kubetwin.apiserver.admission.policy.Policies.Rule;
import io.kubetwin.apiserver.authz.rbac.LabelSelector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether MatchResources select a request (k8s.io/apiserver/pkg/admission/plugin/policy/matching/matching.go
 * with the namespace, object and rule matchers of webhook/predicates). Pure: the request's Namespace object
 * is passed in.
 */
final class ResourceMatcher {
    private ResourceMatcher() {}

    /**
     * @param namespace the request's Namespace object (null when cluster-scoped or absent)
     * @param binding whether these are a binding's matchResources, where no resourceRules means every
     *     request the policy matched
     */
    static boolean matches(MatchResources m, AdmissionAttributes a, JsonNode namespace, boolean binding) {
        if (m == null) {
            return binding;
        }
        return match(m, a, namespace, binding) != null;
    }

    /**
     * Matcher.Matches: the request as the rules matched it, itself or, under matchPolicy Equivalent, as the
     * equivalent resource a rule names (its kind and resource, its objects converted); null for no match.
     */
    static AdmissionAttributes match(MatchResources m, AdmissionAttributes a, JsonNode namespace, boolean binding) {
        if (!namespaceMatches(m.namespaceSelector(), a, namespace) || !objectMatches(m.objectSelector(), a)) {
            return null;
        }
        if (rulesMatch(m.excludeResourceRules(), m.matchPolicy(), a) != null) {
            return null;
        }
        if (binding && m.resourceRules().isEmpty()) {
            return a;
        }
        return rulesMatch(m.resourceRules(), m.matchPolicy(), a);
    }

    /** matchesResourceRules: a rule for the request itself, else (Equivalent) for an equivalent resource. */
    private static AdmissionAttributes rulesMatch(List<Rule> rules, String matchPolicy, AdmissionAttributes a) {
        if (rules.stream().anyMatch(r -> ruleMatches(r, a))) {
            return a;
        }
        if (!"Equivalent".equals(matchPolicy)) {
            return null;
        }
        List<EquivalentResources.Target> equivalents = EquivalentResources.equivalents(a);
        for (Rule r : rules) {
            for (EquivalentResources.Target t : equivalents) {
                AdmissionAttributes as = EquivalentResources.in(a, t);
                if (ruleMatches(r, as)) {
                    return as;
                }
            }
        }
        return null;
    }

    static boolean isNamespace(AdmissionAttributes a) {
        return a.resourceGroup().isEmpty() && "namespaces".equals(a.resource());
    }

    private static boolean namespaceMatches(LabelSelector selector, AdmissionAttributes a, JsonNode namespace) {
        if (a.namespace().isEmpty() && !isNamespace(a)) {
            return true; // cluster-scoped objects are not in any namespace: always selected
        }
        if (selector.matchLabels().isEmpty() && selector.matchExpressions().isEmpty()) {
            return true;
        }
        JsonNode labelled = isNamespace(a) ? (a.object() != null ? a.object() : a.oldObject()) : namespace;
        return selector.matches(labels(labelled));
    }

    private static boolean objectMatches(LabelSelector selector, AdmissionAttributes a) {
        if (selector.matchLabels().isEmpty() && selector.matchExpressions().isEmpty()) {
            return true;
        }
        return (a.object() != null && selector.matches(labels(a.object())))
                || (a.oldObject() != null && selector.matches(labels(a.oldObject())));
    }

    static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new HashMap<>();
        if (object != null) {
            object.path("metadata")
                    .path("labels")
                    .fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }

    /** rules.Matcher: operation, group, version, resource/subresource, scope, and the policy's resourceNames. */
    static boolean ruleMatches(Rule r, AdmissionAttributes a) {
        return matchesOperation(r.operations(), a.operation())
                && anyOrEqual(r.apiGroups(), a.resourceGroup())
                && anyOrEqual(r.apiVersions(), a.version())
                && matchesResource(r.resources(), a.resource(), a.subresource())
                && matchesScope(r.scope(), a)
                && (r.resourceNames().isEmpty() || r.resourceNames().contains(a.name()));
    }

    private static boolean matchesOperation(List<String> operations, Operation op) {
        return operations.contains("*") || operations.contains(op.name());
    }

    private static boolean anyOrEqual(List<String> values, String value) {
        return values.contains("*") || values.contains(value);
    }

    private static boolean matchesResource(List<String> resources, String resource, String subresource) {
        for (String r : resources) {
            if (r.equals("*/*")) {
                return true;
            }
            if (r.equals("*") && subresource.isEmpty()) {
                return true;
            }
            int slash = r.indexOf('/');
            String res = slash < 0 ? r : r.substring(0, slash);
            String sub = slash < 0 ? "" : r.substring(slash + 1);
            if ((res.equals("*") || res.equals(resource)) && (sub.equals("*") || sub.equals(subresource))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesScope(String scope, AdmissionAttributes a) {
        return switch (scope) {
            case "Namespaced" -> !isNamespace(a) && !a.namespace().isEmpty();
            case "Cluster" -> isNamespace(a) || a.namespace().isEmpty();
            default -> true;
        };
    }
}
