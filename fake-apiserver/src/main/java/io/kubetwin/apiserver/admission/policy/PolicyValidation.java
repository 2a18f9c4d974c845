package io.kubetwin.apiserver.admission.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.policy.PolicyCel.Compiled;
import io.kubetwin.apiserver.admission.policy.PolicyCel.Expecting;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * What the registry checks and defaults on ValidatingAdmissionPolicy and its bindings
 * (pkg/apis/admissionregistration/validation and v1/defaults.go): every CEL expression must compile to its
 * type, in the order upstream reports them; the defaults of failurePolicy, matchPolicy, selectors and
 * rule scopes.
 */
public final class PolicyValidation {
    private static final int MAX_MATCH_CONDITIONS = 64;
    private static final List<String> REASONS = List.of("Forbidden", "Invalid", "RequestEntityTooLarge");

    private final PolicyCel cel;

    public PolicyValidation(PolicyCel cel) {
        this.cel = cel;
    }

    /** The field errors of a policy (only those of its expressions and validation reasons). */
    public List<FieldError> validatePolicy(ObjectNode policy) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = policy.path("spec");
        boolean params = spec.hasNonNull("paramKind");
        List<Policies.NamedExpression> named = variables(spec);
        PolicyCel.Variables vars = cel.variables(named, params);
        JsonNode conditions = spec.path("matchConditions");
        for (int i = 0; i < conditions.size(); i++) {
            check(
                    errors,
                    params,
                    vars,
                    "spec.matchConditions[" + i + "].expression",
                    conditions.get(i),
                    "expression",
                    Expecting.BOOL);
        }
        // each variable compiled with the ones before it declared (CompileAndStoreVariables)
        for (int i = 0; i < named.size(); i++) {
            if (!named.get(i).expression().isEmpty() && vars.compiled().get(i) instanceof Compiled.Error e) {
                errors.add(FieldError.invalid(
                        "spec.variables[" + i + "].expression", named.get(i).expression(), e.message()));
            }
        }
        JsonNode validations = spec.path("validations");
        for (int i = 0; i < validations.size(); i++) {
            JsonNode v = validations.get(i);
            String p = "spec.validations[" + i + "]";
            check(errors, params, vars, p + ".expression", v, "expression", Expecting.BOOL);
            if (v.hasNonNull("messageExpression")) {
                check(errors, params, vars, p + ".messageExpression", v, "messageExpression", Expecting.STRING);
            }
            if (v.hasNonNull("reason") && !REASONS.contains(v.get("reason").asText())) {
                errors.add(
                        FieldError.notSupported(p + ".reason", v.get("reason").asText(), REASONS));
            }
        }
        JsonNode annotations = spec.path("auditAnnotations");
        for (int i = 0; i < annotations.size(); i++) {
            check(
                    errors,
                    params,
                    vars,
                    "spec.auditAnnotations[" + i + "].valueExpression",
                    annotations.get(i),
                    "valueExpression",
                    Expecting.STRING_OR_NULL);
        }
        return errors;
    }

    /**
     * validateMatchConditions for one webhook's {@code matchConditions} at {@code path}
     * ({@code webhooks[0].matchConditions}): at most 64, each with an expression that compiles to bool (no
     * {@code params} for webhooks) and a qualified name, names unique; in upstream's order.
     */
    public List<FieldError> validateWebhookMatchConditions(JsonNode conditions, String path) {
        List<FieldError> errors = new ArrayList<>();
        if (conditions.size() > MAX_MATCH_CONDITIONS) {
            errors.add(FieldError.tooMany(path, conditions.size(), MAX_MATCH_CONDITIONS));
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < conditions.size(); i++) {
            JsonNode c = conditions.get(i);
            String p = path + "[" + i + "]";
            String expression = c.path("expression").asText("").strip();
            if (expression.isEmpty()) {
                errors.add(FieldError.required(p + ".expression", ""));
            } else if (cel.compileMatchCondition(expression) instanceof Compiled.Error e) {
                errors.add(FieldError.invalid(p + ".expression", expression, e.message()));
            }
            String name = c.path("name").asText("");
            if (name.isEmpty()) {
                errors.add(FieldError.required(p + ".name", ""));
            } else {
                for (String msg : ObjectMetaValidation.isQualifiedName(name)) {
                    errors.add(FieldError.invalid(p + ".name", name, msg));
                }
                if (!names.add(name)) {
                    errors.add(FieldError.duplicate(p + ".name", name));
                }
            }
        }
        return errors;
    }

    private static List<Policies.NamedExpression> variables(JsonNode spec) {
        List<Policies.NamedExpression> named = new ArrayList<>();
        spec.path("variables")
                .forEach(v -> named.add(new Policies.NamedExpression(
                        v.path("name").asText(""), v.path("expression").asText(""))));
        return named;
    }

    private void check(
            List<FieldError> errors,
            boolean params,
            PolicyCel.Variables vars,
            String field,
            JsonNode holder,
            String key,
            Expecting expecting) {
        String expression = holder.path(key).asText("");
        if (expression.isEmpty()) {
            return; // required-field checks are the strategy's
        }
        if (cel.compile(expression, expecting, params, vars) instanceof Compiled.Error e) {
            errors.add(FieldError.invalid(field, expression, e.message()));
        }
    }

    /** SetDefaults_ValidatingAdmissionPolicySpec and the MatchResources defaults. */
    public static void defaultPolicy(ObjectNode policy) {
        if (!(policy.path("spec") instanceof ObjectNode spec)) {
            return;
        }
        if (!spec.has("failurePolicy")) {
            spec.put("failurePolicy", "Fail");
        }
        if (spec.path("matchConstraints") instanceof ObjectNode m) {
            defaultMatchResources(m);
        }
    }

    /** The binding's matchResources defaults. */
    public static void defaultBinding(ObjectNode binding) {
        if (binding.path("spec").path("matchResources") instanceof ObjectNode m) {
            defaultMatchResources(m);
        }
    }

    private static void defaultMatchResources(ObjectNode m) {
        if (!m.has("namespaceSelector")) {
            m.putObject("namespaceSelector");
        }
        if (!m.has("objectSelector")) {
            m.putObject("objectSelector");
        }
        if (!m.has("matchPolicy")) {
            m.put("matchPolicy", "Equivalent");
        }
        for (String rules : List.of("resourceRules", "excludeResourceRules")) {
            for (JsonNode r : m.path(rules)) {
                if (r instanceof ObjectNode rule && !rule.has("scope")) {
                    rule.put("scope", "*");
                }
            }
        }
    }
}
