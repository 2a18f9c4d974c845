package io.kubetwin.apiserver.admission.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.authz.rbac.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Typed views of ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
 * (k8s.io/api/admissionregistration/v1), read from their stored JSON with upstream's defaults applied.
 */
final class Policies {
    private Policies() {}

    /** A rule with operations (admissionregistration.RuleWithOperations) and optional resourceNames. */
    record Rule(
            List<String> operations,
            List<String> apiGroups,
            List<String> apiVersions,
            List<String> resources,
            List<String> resourceNames,
            String scope) {
        static Rule of(JsonNode n) {
            return new Rule(
                    strings(n.path("operations")),
                    strings(n.path("apiGroups")),
                    strings(n.path("apiVersions")),
                    strings(n.path("resources")),
                    strings(n.path("resourceNames")),
                    n.path("scope").asText("*"));
        }
    }

    /** MatchResources: what a policy (or binding) applies to. */
    record MatchResources(
            LabelSelector namespaceSelector,
            LabelSelector objectSelector,
            List<Rule> resourceRules,
            List<Rule> excludeResourceRules,
            String matchPolicy) {
        static MatchResources of(JsonNode n) {
            return new MatchResources(
                    LabelSelector.fromJson(n.path("namespaceSelector")),
                    LabelSelector.fromJson(n.path("objectSelector")),
                    list(n.path("resourceRules"), Rule::of),
                    list(n.path("excludeResourceRules"), Rule::of),
                    n.path("matchPolicy").asText("Equivalent"));
        }
    }

    record NamedExpression(String name, String expression) {}

    record Validation(String expression, String message, String messageExpression, String reason) {}

    record AuditAnnotation(String key, String valueExpression) {}

    record ParamKind(String apiVersion, String kind) {}

    /** ValidatingAdmissionPolicy.spec, with failurePolicy defaulted to Fail. */
    record Policy(
            String name,
            String failurePolicy,
            ParamKind paramKind,
            MatchResources matchConstraints,
            List<NamedExpression> matchConditions,
            List<NamedExpression> variables,
            List<Validation> validations,
            List<AuditAnnotation> auditAnnotations) {
        static Policy of(JsonNode object) {
            JsonNode spec = object.path("spec");
            JsonNode pk = spec.path("paramKind");
            return new Policy(
                    object.path("metadata").path("name").asText(),
                    spec.path("failurePolicy").asText("Fail"),
                    pk.isObject()
                            ? new ParamKind(
                                    pk.path("apiVersion").asText(),
                                    pk.path("kind").asText())
                            : null,
                    spec.has("matchConstraints") ? MatchResources.of(spec.path("matchConstraints")) : null,
                    list(spec.path("matchConditions"), Policies::named),
                    list(spec.path("variables"), Policies::named),
                    list(
                            spec.path("validations"),
                            v -> new Validation(
                                    v.path("expression").asText(),
                                    v.path("message").asText(""),
                                    v.path("messageExpression").asText(""),
                                    v.path("reason").asText(""))),
                    list(
                            spec.path("auditAnnotations"),
                            a -> new AuditAnnotation(
                                    a.path("key").asText(),
                                    a.path("valueExpression").asText())));
        }
    }

    /** ParamRef of a binding; parameterNotFoundAction defaults to Deny. */
    record ParamRef(
            String name, String namespace, LabelSelector selector, boolean hasSelector, String notFoundAction) {}

    /** ValidatingAdmissionPolicyBinding.spec. */
    record Binding(
            String name, String policyName, ParamRef paramRef, MatchResources matchResources, List<String> actions) {
        static Binding of(JsonNode object) {
            JsonNode spec = object.path("spec");
            JsonNode pr = spec.path("paramRef");
            ParamRef paramRef = pr.isObject()
                    ? new ParamRef(
                            pr.path("name").asText(""),
                            pr.path("namespace").asText(""),
                            LabelSelector.fromJson(pr.path("selector")),
                            pr.has("selector"),
                            pr.path("parameterNotFoundAction").asText("Deny"))
                    : null;
            return new Binding(
                    object.path("metadata").path("name").asText(),
                    spec.path("policyName").asText(""),
                    paramRef,
                    spec.has("matchResources") ? MatchResources.of(spec.path("matchResources")) : null,
                    strings(spec.path("validationActions")));
        }
    }

    private static NamedExpression named(JsonNode n) {
        return new NamedExpression(n.path("name").asText(), n.path("expression").asText());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    static <T> List<T> list(JsonNode array, Function<JsonNode, T> f) {
        List<T> out = new ArrayList<>();
        array.forEach(v -> out.add(f.apply(v)));
        return out;
    }
}
