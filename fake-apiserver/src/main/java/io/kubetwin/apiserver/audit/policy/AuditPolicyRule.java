package io.kubetwin.apiserver.audit.policy;

import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One rule of an audit policy (audit.k8s.io/v1 {@code PolicyRule}). Every list that is not empty
 * restricts the requests the rule matches; see {@link PolicyChecker} for the exact matching.
 *
 * @param omitManagedFields null when the rule does not say, so that the policy-wide value applies
 */
public record AuditPolicyRule(
        Level level,
        List<String> users,
        List<String> userGroups,
        List<String> verbs,
        List<GroupResources> resources,
        List<String> namespaces,
        List<String> nonResourceURLs,
        List<Stage> omitStages,
        Boolean omitManagedFields) {

    public AuditPolicyRule {
        users = copy(users);
        userGroups = copy(userGroups);
        verbs = copy(verbs);
        resources = copy(resources);
        namespaces = copy(namespaces);
        nonResourceURLs = copy(nonResourceURLs);
        omitStages = copy(omitStages);
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** Starts a rule at {@code level}: {@code AuditPolicyRule.level(Level.METADATA).users("alice").build()}. */
    public static Builder level(Level level) {
        return new Builder(level);
    }

    /** Fluent construction of a rule, for policies written in Java. */
    public static final class Builder {
        private final Level level;
        private final List<String> users = new ArrayList<>();
        private final List<String> userGroups = new ArrayList<>();
        private final List<String> verbs = new ArrayList<>();
        private final List<GroupResources> resources = new ArrayList<>();
        private final List<String> namespaces = new ArrayList<>();
        private final List<String> nonResourceURLs = new ArrayList<>();
        private final List<Stage> omitStages = new ArrayList<>();
        private Boolean omitManagedFields;

        private Builder(Level level) {
            this.level = level;
        }

        public Builder users(String... values) {
            users.addAll(Arrays.asList(values));
            return this;
        }

        public Builder userGroups(String... values) {
            userGroups.addAll(Arrays.asList(values));
            return this;
        }

        public Builder verbs(String... values) {
            verbs.addAll(Arrays.asList(values));
            return this;
        }

        public Builder resources(GroupResources... values) {
            resources.addAll(Arrays.asList(values));
            return this;
        }

        public Builder namespaces(String... values) {
            namespaces.addAll(Arrays.asList(values));
            return this;
        }

        public Builder nonResourceURLs(String... values) {
            nonResourceURLs.addAll(Arrays.asList(values));
            return this;
        }

        public Builder omitStages(Stage... values) {
            omitStages.addAll(Arrays.asList(values));
            return this;
        }

        public Builder omitManagedFields(boolean value) {
            omitManagedFields = value;
            return this;
        }

        public AuditPolicyRule build() {
            return new AuditPolicyRule(
                    level,
                    users,
                    userGroups,
                    verbs,
                    resources,
                    namespaces,
                    nonResourceURLs,
                    omitStages,
                    omitManagedFields);
        }
    }
}
