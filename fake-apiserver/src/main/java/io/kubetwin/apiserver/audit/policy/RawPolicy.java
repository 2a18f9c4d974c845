package io.kubetwin.apiserver.audit.policy;

import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.Stage;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy as decoded, before validation: levels and stages are still the strings of the file, so that
 * validation can report an unknown one in upstream's words. Package-private.
 */
record RawPolicy(List<RawRule> rules, List<String> omitStages, boolean omitManagedFields) {

    record RawRule(
            String level,
            List<String> users,
            List<String> userGroups,
            List<String> verbs,
            List<RawGroupResources> resources,
            List<String> namespaces,
            List<String> nonResourceURLs,
            List<String> omitStages,
            Boolean omitManagedFields) {}

    record RawGroupResources(String group, List<String> resources, List<String> resourceNames) {}

    /** The raw form of a policy built in Java, so that it goes through the same validation. */
    static RawPolicy of(Policy p) {
        List<RawRule> rules = new ArrayList<>();
        for (AuditPolicyRule r : p.rules()) {
            List<RawGroupResources> resources = r.resources().stream()
                    .map(g -> new RawGroupResources(g.group(), g.resources(), g.resourceNames()))
                    .toList();
            rules.add(new RawRule(
                    r.level() == null ? "" : r.level().wire(),
                    r.users(),
                    r.userGroups(),
                    r.verbs(),
                    resources,
                    r.namespaces(),
                    r.nonResourceURLs(),
                    names(r.omitStages()),
                    r.omitManagedFields()));
        }
        return new RawPolicy(rules, names(p.omitStages()), p.omitManagedFields());
    }

    private static List<String> names(List<Stage> stages) {
        return stages.stream().map(Stage::wire).toList();
    }

    /** The typed policy; call only once validation found no error. */
    Policy toPolicy() {
        List<AuditPolicyRule> typed = new ArrayList<>();
        for (RawRule r : rules) {
            List<GroupResources> resources = r.resources().stream()
                    .map(g -> new GroupResources(g.group(), g.resources(), g.resourceNames()))
                    .toList();
            typed.add(new AuditPolicyRule(
                    Level.fromWire(r.level()),
                    r.users(),
                    r.userGroups(),
                    r.verbs(),
                    resources,
                    r.namespaces(),
                    r.nonResourceURLs(),
                    stages(r.omitStages()),
                    r.omitManagedFields()));
        }
        return new Policy(typed, stages(omitStages), omitManagedFields);
    }

    private static List<Stage> stages(List<String> names) {
        return names.stream().map(Stage::fromWire).toList();
    }
}
