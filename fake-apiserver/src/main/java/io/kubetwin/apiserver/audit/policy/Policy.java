package io.kubetwin.apiserver.audit.policy;

import io.kubetwin.apiserver.audit.event.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An audit.k8s.io/v1 {@code Policy}: ordered rules (the first matching rule decides), stages omitted for
 * every rule, and whether managed fields are dropped from logged bodies. Build one in Java with
 * {@link #builder()} or load one from a file with {@link PolicyLoader}; either way pass it to
 * {@link PolicyValidator#validate(Policy)} (the loader does) before use.
 */
public record Policy(List<AuditPolicyRule> rules, List<Stage> omitStages, boolean omitManagedFields) {
    public Policy {
        rules = rules == null ? List.of() : List.copyOf(rules);
        omitStages = omitStages == null ? List.of() : List.copyOf(omitStages);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction of a policy. */
    public static final class Builder {
        private final List<AuditPolicyRule> rules = new ArrayList<>();
        private final List<Stage> omitStages = new ArrayList<>();
        private boolean omitManagedFields;

        public Builder rule(AuditPolicyRule rule) {
            rules.add(rule);
            return this;
        }

        public Builder rule(AuditPolicyRule.Builder rule) {
            return rule(rule.build());
        }

        public Builder omitStages(Stage... stages) {
            omitStages.addAll(Arrays.asList(stages));
            return this;
        }

        public Builder omitManagedFields(boolean value) {
            omitManagedFields = value;
            return this;
        }

        public Policy build() {
            return new Policy(rules, omitStages, omitManagedFields);
        }
    }
}
