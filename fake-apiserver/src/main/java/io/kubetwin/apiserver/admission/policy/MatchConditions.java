package io.kubetwin.apiserver.admission.policy;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.policy.PolicyCel.Compiled;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CEL matchConditions of admission webhooks (k8s.io/apiserver/pkg/admission/plugin/webhook/matchconditions
 * matcher.go), evaluated in the policies' environment ({@link PolicyCel}, without {@code params}): {@code object},
 * {@code oldObject}, {@code request} and {@code authorizer}; {@code namespaceObject} is declared but null, as for
 * webhooks upstream. The first condition that is false decides "no match" even after errors; otherwise any error
 * decides (the caller applies the webhook's failurePolicy), worded as cel-go's and aggregated as Go's
 * utilerrors.NewAggregate. Blocking (compiling a new expression takes tens of milliseconds): call it off the event
 * loop. Thread-safe.
 */
public final class MatchConditions {

    /** One admissionregistration/v1 MatchCondition. */
    public record Condition(String name, String expression) {}

    /** The outcome: call the webhook, skip it, or an error for its failurePolicy. */
    public sealed interface Result {
        record Matches() implements Result {}

        /** @param failedCondition the name of the condition that was false */
        record NoMatch(String failedCondition) implements Result {}

        record Error(String message) implements Result {}
    }

    private final PolicyCel cel;
    private final Authorizer authorizer;

    public MatchConditions(PolicyCel cel, Authorizer authorizer) {
        this.cel = cel;
        this.authorizer = authorizer;
    }

    public Result evaluate(List<Condition> conditions, AdmissionAttributes a) {
        Map<String, Object> input = PolicyInput.of(a, null, authorizer);
        List<String> errors = new ArrayList<>();
        long remaining = CelCost.MATCH_CONDITIONS_BUDGET;
        for (Condition c : conditions) {
            Compiled compiled = cel.compileMatchCondition(c.expression());
            if (compiled instanceof Compiled.Error e) {
                errors.add("compilation error: " + e.message());
                continue;
            }
            CelCost.Evaluation e = CelCost.evaluate(((Compiled.Program) compiled).program(), input);
            if (e.cost() > remaining) {
                return new Result.Error(CelCost.OUT_OF_BUDGET);
            }
            remaining -= e.cost();
            if (e.error() != null) {
                errors.add("expression '" + c.expression() + "' resulted in error: " + e.error());
            } else if (Boolean.FALSE.equals(e.value())) {
                return new Result.NoMatch(c.name());
            }
        }
        return errors.isEmpty() ? new Result.Matches() : new Result.Error(GoText.aggregate(errors));
    }
}
