package io.kubetwin.scenarios.runner;

import io.kubetwin.scenarios.model.Step;

/** One step on one target: outcome, observation (null when skipped) and wall time. */
public record StepResult(Step step, StepOutcome outcome, Observation observation, long millis) {

    public boolean skipped() {
        return outcome instanceof StepOutcome.Skipped;
    }
}
