package io.kubetwin.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each pod-controller kind keeps its pod template (admission/admission.go DefaultPodSpecExtractor):
 * ReplicationControllers, PodTemplates, ReplicaSets, Deployments, StatefulSets, DaemonSets, Jobs and
 * CronJobs. Pods themselves are handled apart.
 */
final class PodTemplates {
    private PodTemplates() {}

    /** The path to the template, by "group/resource"; RCs' template is a pointer and may be missing. */
    private static final Map<String, List<String>> PATHS = Map.of(
            "/replicationcontrollers", List.of("spec", "template"),
            "/podtemplates", List.of("template"),
            "apps/replicasets", List.of("spec", "template"),
            "apps/deployments", List.of("spec", "template"),
            "apps/statefulsets", List.of("spec", "template"),
            "apps/daemonsets", List.of("spec", "template"),
            "batch/jobs", List.of("spec", "template"),
            "batch/cronjobs", List.of("spec", "jobTemplate", "spec", "template"));

    static boolean hasPodSpec(String group, String resource) {
        return PATHS.containsKey(group + "/" + resource);
    }

    /** The template's view; empty when the kind's template is optional and missing (nothing to check). */
    static Optional<PodView> extract(String group, String resource, JsonNode object) {
        List<String> path = PATHS.get(group + "/" + resource);
        JsonNode template = object;
        for (String step : path) {
            template = template.path(step);
        }
        if ("/replicationcontrollers".equals(group + "/" + resource)
                && (template.isMissingNode() || template.isNull())) {
            return Optional.empty();
        }
        return Optional.of(PodView.of(template.path("metadata"), template.path("spec")));
    }
}
