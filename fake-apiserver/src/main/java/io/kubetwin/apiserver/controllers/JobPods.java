package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the Job controller reads from and writes into its pods: their phase as the controller sees it
 * (controller_utils.go IsPodActive and IsPodTerminating, job_controller.go isPodFailed), the tracking finalizer,
 * the completion index and the per-index failure counts (indexed_job_utils.go), the time a pod finished
 * (backoff_utils.go getFinishedTime), and a new pod from the Job's template.
 */
final class JobPods {
    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    static final String INDEX_KEY = "batch.kubernetes.io/job-completion-index";
    static final String FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
    static final String IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count";
    static final int UNKNOWN_INDEX = -1;

    private JobPods() {}

    static String phase(JsonNode pod) {
        return pod.path("status").path("phase").asText();
    }

    /** Being deleted and not terminal. */
    static boolean isTerminating(JsonNode pod) {
        return !"Succeeded".equals(phase(pod))
                && !"Failed".equals(phase(pod))
                && pod.path("metadata").has("deletionTimestamp");
    }

    /** Failed, or (unless only failed pods are replaced) deleted before it succeeded. */
    static boolean isFailed(JsonNode pod, JsonNode job) {
        if ("Failed".equals(phase(pod))) {
            return true;
        }
        if (onlyReplaceFailedPods(job)) {
            return false;
        }
        return pod.path("metadata").has("deletionTimestamp") && !"Succeeded".equals(phase(pod));
    }

    /** podReplacementPolicy Failed, which a pod failure policy implies. */
    static boolean onlyReplaceFailedPods(JsonNode job) {
        JsonNode spec = job.path("spec");
        return "Failed".equals(spec.path("podReplacementPolicy").asText()) || spec.hasNonNull("podFailurePolicy");
    }

    static boolean hasFinalizer(JsonNode pod) {
        for (JsonNode f : pod.path("metadata").path("finalizers")) {
            if (TRACKING_FINALIZER.equals(f.asText())) {
                return true;
            }
        }
        return false;
    }

    /** The completion index annotation, {@link #UNKNOWN_INDEX} when missing, malformed or negative. */
    static int index(JsonNode pod) {
        JsonNode v = pod.path("metadata").path("annotations").get(INDEX_KEY);
        if (v == null) {
            return UNKNOWN_INDEX;
        }
        try {
            int i = Integer.parseInt(v.asText());
            return i < 0 ? UNKNOWN_INDEX : i;
        } catch (NumberFormatException e) {
            return UNKNOWN_INDEX;
        }
    }

    static int failureCount(JsonNode pod) {
        return annotationInt(pod, FAILURE_COUNT);
    }

    static int ignoredFailureCount(JsonNode pod) {
        return annotationInt(pod, IGNORED_FAILURE_COUNT);
    }

    private static int annotationInt(JsonNode pod, String key) {
        try {
            int v = Integer.parseInt(
                    pod.path("metadata").path("annotations").path(key).asText("0"));
            return v < 0 ? 0 : v;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * getFinishedTime: the latest container termination, else the Ready=False transition, else the deletion
     * timestamp less the grace period, else the creation.
     */
    static Instant finishedTime(JsonNode pod) {
        Instant latest = null;
        for (JsonNode cs : pod.path("status").path("containerStatuses")) {
            String t = cs.path("state").path("terminated").path("finishedAt").asText("");
            if (t.isEmpty()) {
                latest = null; // a container still running, or one without a finish time: none from the containers
                break;
            }
            Instant i = Instant.parse(t);
            if (latest == null || i.isAfter(latest)) {
                latest = i;
            }
        }
        if (latest != null) {
            return latest;
        }
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())
                    && "False".equals(c.path("status").asText())
                    && c.hasNonNull("lastTransitionTime")) {
                return Instant.parse(c.get("lastTransitionTime").asText());
            }
        }
        JsonNode meta = pod.path("metadata");
        if (meta.hasNonNull("deletionTimestamp")) {
            return Instant.parse(meta.get("deletionTimestamp").asText())
                    .minus(Duration.ofSeconds(
                            meta.path("deletionGracePeriodSeconds").asLong(0)));
        }
        return Instant.parse(meta.path("creationTimestamp").asText("1970-01-01T00:00:00Z"));
    }

    /**
     * controller.GetPodFromTemplate plus the Job's additions: the finalizer, and in Indexed mode the completion
     * index annotation and label, the hostname, JOB_COMPLETION_INDEX in every container, and with
     * backoffLimitPerIndex the index's failure counts.
     */
    static ObjectNode fromTemplate(ObjectNode job, String generateName, Integer index, int[] failureCounts) {
        JsonNode template = job.path("spec").path("template");
        ObjectNode pod = PodTemplates.pod(template, generateName, PodTemplates.controllerRef("batch/v1", "Job", job));
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        meta.withArray("finalizers").add(TRACKING_FINALIZER);
        ObjectNode spec = (ObjectNode) pod.get("spec");
        if (index != null) {
            meta.with("annotations").put(INDEX_KEY, String.valueOf(index));
            if (failureCounts != null) {
                meta.with("annotations").put(FAILURE_COUNT, String.valueOf(failureCounts[0]));
                if (failureCounts[1] > 0) {
                    meta.with("annotations").put(IGNORED_FAILURE_COUNT, String.valueOf(failureCounts[1]));
                }
            }
            meta.with("labels").put(INDEX_KEY, String.valueOf(index));
            spec.put("hostname", job.path("metadata").path("name").asText() + "-" + index);
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode container : spec.path(list)) {
                    addIndexEnv((ObjectNode) container);
                }
            }
        }
        return pod;
    }

    private static void addIndexEnv(ObjectNode container) {
        for (JsonNode env : container.path("env")) {
            if ("JOB_COMPLETION_INDEX".equals(env.path("name").asText())) {
                return;
            }
        }
        ObjectNode fieldRef = container
                .withArray("env")
                .addObject()
                .put("name", "JOB_COMPLETION_INDEX")
                .putObject("valueFrom")
                .putObject("fieldRef");
        fieldRef.put("apiVersion", "v1").put("fieldPath", "metadata.labels['" + INDEX_KEY + "']");
    }
}
