package io.kubetwin.scenarios.runner;

import java.util.List;

/** How a step ended on one target. */
public sealed interface StepOutcome {

    /** Every expectation held. */
    record Passed() implements StepOutcome {}

    /** At least one expectation failed, or the step could not be executed. */
    record Failed(List<String> failures) implements StepOutcome {
        public Failed {
            failures = List.copyOf(failures);
        }
    }

    /** Not run on this target, with the reason (pending capability, target unavailable, not applicable). */
    record Skipped(String reason) implements StepOutcome {}

    /** PASSED, FAILED or SKIPPED. */
    default String label() {
        if (this instanceof Passed) {
            return "PASSED";
        }
        return this instanceof Failed ? "FAILED" : "SKIPPED";
    }

    /** The failures (one per line) or the skip reason; empty when passed. */
    default String detail() {
        if (this instanceof Failed f) {
            return String.join("\n", f.failures());
        }
        return this instanceof Skipped s ? s.reason() : "";
    }

    static StepOutcome of(List<String> failures) {
        return failures.isEmpty() ? new Passed() : new Failed(failures);
    }
}
