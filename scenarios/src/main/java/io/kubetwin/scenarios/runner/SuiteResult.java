package io.kubetwin.scenarios.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.scenarios.model.Suite;
import java.util.List;

/**
 * A suite on one target.
 *
 * @param description the cluster's description (version, insecure modes), or why it did not run
 * @param setupError  why the cluster or the setup failed (then every step is Failed), else null
 * @param millis      wall time including cluster start and stop
 * @param auditLog    every audit event the cluster wrote, when the runner replays under its own audit policy
 *                    ({@link SuiteRunner#withAuditPolicy}); else empty
 */
public record SuiteResult(
        Suite suite,
        String target,
        String description,
        String setupError,
        List<StepResult> steps,
        long millis,
        List<JsonNode> auditLog) {
    public SuiteResult {
        steps = List.copyOf(steps);
        auditLog = auditLog == null ? List.of() : List.copyOf(auditLog);
    }

    public SuiteResult(
            Suite suite, String target, String description, String setupError, List<StepResult> steps, long millis) {
        this(suite, target, description, setupError, steps, millis, List.of());
    }

    public StepResult step(String name) {
        return steps.stream()
                .filter(s -> s.step().name().equals(name))
                .findFirst()
                .orElse(null);
    }
}
