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
        List<String> matchErrors = new ArrayList<>();
        Group match = new Group(policy, compiledVariables, input, CelCost.MATCH_CONDITIONS_BUDGET);
        for (NamedExpression mc : policy.matchConditions()) {
            Outcome o =
                    match.run(mc.expression(), cel.compile(mc.expression(), Expecting.BOOL, params, compiledVariables));
            if (match.exhausted) {
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
        Group validations = new Group(policy, compiledVariables, input, CelCost.RUNTIME_BUDGET);
        List<Outcome> outcomes = new ArrayList<>();
        for (Validation v : policy.validations()) {
            outcomes.add(validations.run(
                    v.expression(), cel.compile(v.expression(), Expecting.BOOL, params, compiledVariables)));
            if (validations.exhausted) {
                return outOfBudget(onError);
            }
        }
        // every messageExpression is evaluated, failed validation or not, on what the validations left of the budget
        Group messages = new Group(policy, compiledVariables, input, validations.remaining);
        List<Outcome> messageOutcomes = new ArrayList<>();
        for (Validation v : policy.validations()) {
            if (messages.exhausted || v.messageExpression().isEmpty()) {
                messageOutcomes.add(null);
                continue;
            }
            messageOutcomes.add(messages.run(
                    v.messageExpression(),
                    cel.compile(v.messageExpression(), Expecting.STRING, params, compiledVariables)));
        }
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < policy.validations().size(); i++) {
            Validation v = policy.validations().get(i);
            Outcome o = outcomes.get(i);
            if (o.error() != null) {
                decisions.add(new Decision(onError, i, o.error(), ""));
            } else if (messages.exhausted) {
                decisions.add(new Decision(onError, i, "failed messageExpression: " + CelCost.OUT_OF_BUDGET, ""));
            } else if (Boolean.TRUE.equals(o.value())) {
                decisions.add(new Decision(Action.ADMIT, i, "", ""));
            } else {
                String reason = v.reason().isEmpty() ? "Invalid" : v.reason();
                decisions.add(new Decision(Action.DENY, i, message(v, messageOutcomes.get(i)), reason));
            }
        }
        List<Annotation> annotations = new ArrayList<>();
        // upstream compiles audit annotations with authorizer but binds none when it evaluates them
        Map<String, Object> withoutAuthorizer = new java.util.HashMap<>(input);
        withoutAuthorizer.remove("authorizer");
        Group annotationGroup = new Group(policy, compiledVariables, withoutAuthorizer, CelCost.RUNTIME_BUDGET);
        for (AuditAnnotation a : policy.auditAnnotations()) {
            Outcome o = annotationGroup.run(
                    a.valueExpression(),
                    cel.compile(a.valueExpression(), Expecting.STRING_OR_NULL, params, compiledVariables));
            if (annotationGroup.exhausted) {
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

    /** A denial's message: the messageExpression's string if usable, else the message, else the expression. */
    private static String message(Validation v, Outcome messageOutcome) {
        String message = "";
        if (messageOutcome != null && messageOutcome.error() == null && messageOutcome.value() instanceof String s) {
            message = s.strip();
            if (message.length() > MAX_MESSAGE || message.contains("\n")) {
                message = "";
            }
        }
        if (message.isEmpty() && !v.message().isEmpty()) {
            message = v.message().strip();
        }
        return message.isEmpty() ? "failed expression: " + v.expression().strip() : message;
    }

    private record Outcome(Object value, String error) {}

    /**
     * One group of expressions evaluated together (one ForInput upstream): one budget, shared by the expressions and
     * the variables they read, and one set of {@link LazyVariables}.
     */
    private static final class Group {
        private final LazyVariables variables;
        long remaining;
        boolean exhausted;

        Group(Policy policy, PolicyCel.Variables compiled, Map<String, Object> input, long budget) {
            this.variables = new LazyVariables(policy.variables(), compiled, input);
            this.remaining = budget;
        }

        /** Evaluates one expression (activation.go's Evaluate): the variables it read are charged, then its own cost. */
        Outcome run(String expression, Compiled compiled) {
            if (compiled instanceof Compiled.Error error) {
                return new Outcome(null, "compilation error: " + error.message());
            }
            CelCost.Evaluation e = CelCost.evaluate(((Compiled.Program) compiled).program(), variables.activation());
            charge(variables.takeCost());
            charge(e.cost());
            return e.error() == null
                    ? new Outcome(e.value(), null)
                    : new Outcome(null, "expression '" + expression + "' resulted in error: " + e.error());
        }

        private void charge(long cost) {
            if (exhausted || cost > remaining) {
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
