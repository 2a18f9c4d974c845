package io.kubetwin.apiserver.audit.policy;

import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.Stage;
import java.util.Set;

/**
 * What the policy decided for one request (pkg/audit/evaluator.go {@code RequestAuditConfig}): its level,
 * the stages not to record (policy-wide ones included) and whether managed fields are dropped from bodies.
 */
public record RequestAuditConfig(Level level, Set<Stage> omitStages, boolean omitManagedFields) {
    public RequestAuditConfig {
        omitStages = Set.copyOf(omitStages);
    }

    public boolean enabled() {
        return level != Level.NONE;
    }

    public boolean records(Stage stage) {
        return !omitStages.contains(stage);
    }
}
