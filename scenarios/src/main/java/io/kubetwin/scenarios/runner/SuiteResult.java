package io.kubetwin.scenarios.runner;

import io.kubetwin.scenarios.model.Suite;
import java.util.List;

/**
 * A suite on one target.
 *
 * @param description the cluster's description (version, insecure modes), or why it did not run
 * @param setupError  why the cluster or the setup failed (then every step is Failed), else null
 * @param millis      wall time including cluster start and stop
 */
public record SuiteResult(
        Suite suite, String target, String description, String setupError, List<StepResult> steps, long millis) {
    public SuiteResult {
        steps = List.copyOf(steps);
    }

    public StepResult step(String name) {
        return steps.stream()
                .filter(s -> s.step().name().equals(name))
                .findFirst()
                .orElse(null);
    }
}
