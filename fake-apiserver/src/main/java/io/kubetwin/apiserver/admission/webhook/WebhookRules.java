package io.kubetwin.apiserver.admission.webhook;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.EquivalentResources;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a webhook's rules cover a request, as k8s.io/apiserver/pkg/admission/plugin/webhook/predicates/rules/rules.go
 * decides: scope, operation, group, version and resource (with {@code *}, {@code res/*}, {@code *}{@code /sub}) must
 * all match one rule. Pure and thread-safe.
 */
public final class WebhookRules {
    private WebhookRules() {}

    /** Kinds whose writes never go to webhooks (IsExemptAdmissionConfigurationResource). */
    private static final Set<String> EXEMPT_KINDS = Set.of(
            "ValidatingWebhookConfiguration",
            "MutatingWebhookConfiguration",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "MutatingAdmissionPolicy",
            "MutatingAdmissionPolicyBinding");

    public static boolean exempt(AdmissionAttributes a) {
        return "admissionregistration.k8s.io".equals(a.group()) && EXEMPT_KINDS.contains(a.kind());
    }

    /** The first rule of {@code rules} that matches, in the webhook's order. */
    public static boolean anyMatches(List<Webhook.Rule> rules, AdmissionAttributes a) {
        return rules.stream().anyMatch(r -> matches(r, a));
    }

    /**
     * The request as the webhook is to be called with it, if its rules cover it: as made when a rule matches it
     * (its objects in the requested version), else under {@code matchPolicy: Equivalent} as the first equivalent
     * group version a rule matches (generic/webhook.go ShouldCallHook), its objects converted to that version.
     */
    static Optional<AdmissionAttributes> invocation(Webhook hook, AdmissionAttributes a) {
        if (anyMatches(hook.rules(), a)) {
            return Optional.of(EquivalentResources.asRequested(a));
        }
        if (!hook.matchEquivalent()) {
            return Optional.empty();
        }
        for (EquivalentResources.Target t : EquivalentResources.equivalents(a)) {
            AdmissionAttributes versioned = EquivalentResources.in(a, t);
            if (anyMatches(hook.rules(), versioned)) {
                return Optional.of(versioned);
            }
        }
        return Optional.empty();
    }

    public static boolean matches(Webhook.Rule rule, AdmissionAttributes a) {
        return scope(rule, a)
                && operation(rule, a)
                && exactOrWildcard(rule.apiGroups(), a.resourceGroup())
                && exactOrWildcard(rule.apiVersions(), a.version())
                && resource(rule, a);
    }

    /**
     * The request's namespace as upstream's request info has it: a namespace's own name for requests on an existing
     * namespace (requestinfo.go takes it from the path), else the object's namespace.
     */
    public static String namespace(AdmissionAttributes a) {
        if (isNamespaces(a) && !a.name().isEmpty() && a.namespace().isEmpty()) {
            return a.name();
        }
        return a.namespace();
    }

    static boolean isNamespaces(AdmissionAttributes a) {
        return a.resourceGroup().isEmpty() && "namespaces".equals(a.resource());
    }

    private static boolean scope(Webhook.Rule rule, AdmissionAttributes a) {
        boolean namespaceResource = isNamespaces(a) && "v1".equals(a.version());
        return switch (rule.scope()) {
            case "*", "" -> true;
            case "Namespaced" -> !namespaceResource && !namespace(a).isEmpty();
            case "Cluster" -> namespaceResource || namespace(a).isEmpty();
            default -> false;
        };
    }

    private static boolean operation(Webhook.Rule rule, AdmissionAttributes a) {
        return rule.operations().stream()
                .anyMatch(op -> op.equals("*") || op.equals(a.operation().name()));
    }

    private static boolean exactOrWildcard(List<String> items, String requested) {
        return items.stream().anyMatch(i -> i.equals("*") || i.equals(requested));
    }

    private static boolean resource(Webhook.Rule rule, AdmissionAttributes a) {
        for (String entry : rule.resources()) {
            int slash = entry.indexOf('/');
            String res = slash < 0 ? entry : entry.substring(0, slash);
            String sub = slash < 0 ? "" : entry.substring(slash + 1);
            if ((res.equals("*") || res.equals(a.resource())) && (sub.equals("*") || sub.equals(a.subresource()))) {
                return true;
            }
        }
        return false;
    }
}
