package io.kubetwin.apiserver.admission.podsecurity;

import java.util.ArrayList;
import java.util.List;

/** The forbidden results of all checks of a level, in check order (policy/checks.go AggregateCheckResult). */
public record AggregateResult(List<String> forbiddenReasons, List<String> forbiddenDetails) {

    static AggregateResult of(List<CheckResult> results) {
        List<String> reasons = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (CheckResult r : results) {
            if (!r.allowed()) {
                reasons.add(r.forbiddenReason().isEmpty() ? "unknown forbidden reason" : r.forbiddenReason());
                details.add(r.forbiddenDetail());
            }
        }
        return new AggregateResult(List.copyOf(reasons), List.copyOf(details));
    }

    public boolean allowed() {
        return forbiddenReasons.isEmpty();
    }

    /** The reasons alone, {@code ", "}-joined: what the namespace label check reports per pod. */
    public String forbiddenReason() {
        return String.join(", ", forbiddenReasons);
    }

    /** Each reason with its detail in parentheses when there is one, {@code ", "}-joined. */
    public String forbiddenDetail() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < forbiddenReasons.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(forbiddenReasons.get(i));
            if (!forbiddenDetails.get(i).isEmpty()) {
                b.append(" (").append(forbiddenDetails.get(i)).append(')');
            }
        }
        return b.toString();
    }
}
