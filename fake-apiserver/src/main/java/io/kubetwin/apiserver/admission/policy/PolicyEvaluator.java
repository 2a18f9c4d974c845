package io.kubetwin.apiserver.admission.policy;

import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import io.kubetwin.apiserver.admission.policy.Policies.AuditAnnotation;
import io.kubetwin.apiserver.admission.policy.Policies.NamedExpression;
import io.kubetwin.apiserver.admission.policy.Policies.Policy;
import io.kubetwin.apiserver.admission.policy.Policies.Validation;
import io.kubetwin.apiserver.admission.policy.PolicyCel.Compiled;
import io.kubetwin.apiserver.admission.policy.PolicyCel.Expecting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates one policy for one binding and one param (validating/validator.go): match conditions, then
 * every validation with its message, then the audit annotations, each as a {@link Decision}. Pure.
 */
final class PolicyEvaluator {

    enum Action {
        ADMIT,
        DENY
    }

    /**
     * One validation's outcome (PolicyDecision).
     *
     * @param index the validation's index, for the audit annotation; -1 for errors outside validations
     * @param reason the StatusReason of a denial, "" for an error
     */
    record Decision(Action action, int index, String message, String reason) {}

    /** An audit annotation to publish, or an error that denies under failurePolicy Fail. */
    record Annotation(String key, String value, String error) {}

    record Result(List<Decision> decisions, List<Annotation> annotations) {
        static final Result NONE = new Result(List.of(), List.of());
    }

    private static final Pattern NO_KEY = Pattern.compile("key '(.*)' is not present in map\\.?");
    private static final Pattern LOCATION = Pattern.compile("^evaluation error at <input>:\\d+: ");
    private static final int MAX_AUDIT_VALUE = 10 * 1024;
    private static final int MAX_MESSAGE = 5 * 1024;

    private final PolicyCel cel;

    PolicyEvaluator(PolicyCel cel) {
        this.cel = cel;
    }

    /** Evaluates against the activation {@code input} (object, oldObject, request, params, namespaceObject). */
    Result evaluate(Policy policy, Map<String, Object> input) {
        Action onError = "Ignore".equals(policy.failurePolicy()) ? Action.ADMIT : Action.DENY;
        boolean params = policy.paramKind() != null;
        PolicyCel.Variables compiledVariables = cel.variables(policy.variables(), params);
        Map<String, Object> vars = new HashMap<>(input);
        Map<String, Object> variables = new LinkedHashMap<>();
        Map<String, String> variableErrors = new HashMap<>();
        vars.put("variables", variables);
        // variables are evaluated eagerly here (lazily upstream): their cost is charged to the validations' budget
        Budget budget = new Budget(CelCost.RUNTIME_BUDGET);
        for (int i = 0; i < policy.variables().size(); i++) {
            NamedExpression v = policy.variables().get(i);
            Outcome o = run(v.expression(), compiledVariables.compiled().get(i), vars, Map.of(), budget);
            if (budget.exhausted) {
                return outOfBudget(onError);
            }
            if (o.error() != null) {
                variableErrors.put(v.name(), o.error());
            } else {
                variables.put(v.name(), o.value());
            }
        }
        List<String> matchErrors = new ArrayList<>();
        Budget matchBudget = new Budget(CelCost.MATCH_CONDITIONS_BUDGET);
        for (NamedExpression mc : policy.matchConditions()) {
            Outcome o = run(
                    mc.expression(),
                    cel.compile(mc.expression(), Expecting.BOOL, params, compiledVariables),
                    vars,
                    variableErrors,
                    matchBudget);
            if (matchBudget.exhausted) {
                return outOfBudget(onError);
            }
            if (o.error() != null) {
                matchErrors.add(o.error());
            } else if (Boolean.FALSE.equals(o.value())) {
                return Result.NONE;
            }
        }
        if (!matchErrors.isEmpty()) {
            String message = matchErrors.size() == 1 ? matchErrors.get(0) : "[" + String.join(", ", matchErrors) + "]";
            return onError == Action.ADMIT
                    ? Result.NONE
                    : new Result(List.of(new Decision(Action.DENY, 0, message, "")), List.of());
        }
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < policy.validations().size(); i++) {
            Validation v = policy.validations().get(i);
            Outcome o = run(
                    v.expression(),
                    cel.compile(v.expression(), Expecting.BOOL, params, compiledVariables),
                    vars,
                    variableErrors,
                    budget);
            if (budget.exhausted) {
                return outOfBudget(onError);
            }
            if (o.error() != null) {
                decisions.add(new Decision(onError, i, o.error(), ""));
            } else if (Boolean.TRUE.equals(o.value())) {
                decisions.add(new Decision(Action.ADMIT, i, "", ""));
            } else {
                String reason = v.reason().isEmpty() ? "Invalid" : v.reason();
                decisions.add(new Decision(
                        Action.DENY, i, message(v, params, compiledVariables, vars, variableErrors), reason));
            }
        }
        List<Annotation> annotations = new ArrayList<>();
        Budget annotationBudget = new Budget(CelCost.RUNTIME_BUDGET);
        for (AuditAnnotation a : policy.auditAnnotations()) {
            Outcome o = run(
                    a.valueExpression(),
                    cel.compile(a.valueExpression(), Expecting.STRING_OR_NULL, params, compiledVariables),
                    vars,
                    variableErrors,
                    annotationBudget);
            if (annotationBudget.exhausted) {
                return outOfBudget(onError);
            }
            if (o.error() != null) {
                if (onError == Action.DENY) {
                    annotations.add(new Annotation(a.key(), null, o.error()));
                }
            } else if (o.value() instanceof String s && !s.strip().isEmpty()) {
                String value = s.strip();
                annotations.add(new Annotation(
                        a.key(), value.length() > MAX_AUDIT_VALUE ? value.substring(0, MAX_AUDIT_VALUE) : value, null));
            } else if (!(o.value() instanceof String) && !(o.value() instanceof NullValue)) {
                annotations.add(new Annotation(
                        a.key(),
                        null,
                        "valueExpression '" + a.valueExpression()
                                + "' resulted in unsupported return type: " + typeName(o.value())
                                + ". Return type must be either string or null."));
            }
        }
        return new Result(decisions, annotations);
    }

    private String message(
            Validation v,
            boolean params,
            PolicyCel.Variables compiledVariables,
            Map<String, Object> vars,
            Map<String, String> variableErrors) {
        String message = "";
        if (!v.messageExpression().isEmpty()) {
            // upstream charges messages to what the validations left; only the per-call limit applies here
            Outcome o = run(
                    v.messageExpression(),
                    cel.compile(v.messageExpression(), Expecting.STRING, params, compiledVariables),
                    vars,
                    variableErrors,
                    new Budget(CelCost.RUNTIME_BUDGET));
            if (o.error() == null && o.value() instanceof String s) {
                message = s.strip();
                if (message.length() > MAX_MESSAGE || message.contains("\n")) {
                    message = "";
                }
            }
        }
        if (message.isEmpty() && !v.message().isEmpty()) {
            message = v.message().strip();
        }
        return message.isEmpty() ? "failed expression: " + v.expression().strip() : message;
    }

    private record Outcome(Object value, String error) {}

    /** What is left of one runtime cost budget (cel/condition.go's remainingBudget). */
    private static final class Budget {
        long remaining;
        boolean exhausted;

        Budget(long remaining) {
            this.remaining = remaining;
        }

        void charge(long cost) {
            if (cost > remaining) {
                exhausted = true;
            } else {
                remaining -= cost;
            }
        }
    }

    /** A budget ran out: the whole evaluation is one error decision, under the failurePolicy. */
    private static Result outOfBudget(Action onError) {
        return onError == Action.ADMIT
                ? Result.NONE
                : new Result(List.of(new Decision(Action.DENY, -1, CelCost.OUT_OF_BUDGET, "")), List.of());
    }

    private Outcome run(
            String expression,
            Compiled compiled,
            Map<String, Object> vars,
            Map<String, String> variableErrors,
            Budget budget) {
        for (Map.Entry<String, String> e : variableErrors.entrySet()) {
            if (expression.contains("variables." + e.getKey())) {
                return new Outcome(null, e.getValue());
            }
        }
        if (compiled instanceof Compiled.Error error) {
            return new Outcome(null, "compilation error: " + error.message());
        }
        CelCost.Evaluation e = CelCost.evaluate(((Compiled.Program) compiled).program(), vars);
        budget.charge(e.cost());
        return e.error() == null
                ? new Outcome(e.value(), null)
                : new Outcome(null, "expression '" + expression + "' resulted in error: " + e.error());
    }

    /** cel-go's wording of an evaluation error. */
    static String goText(CelEvaluationException e) {
        String text = LOCATION.matcher(e.getMessage()).replaceFirst("");
        Matcher m = NO_KEY.matcher(text);
        if (m.matches()) {
            return "no such key: " + m.group(1);
        }
        return text;
    }

    private static String typeName(Object value) {
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Long) {
            return "int";
        }
        if (value instanceof Double) {
            return "double";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Map) {
            return "map";
        }
        return value == null ? "null_type" : value.getClass().getSimpleName();
    }
}
