package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One sync's view of a Job (syncJobCtx in pkg/controller/job/job_controller.go): its pods, the status being built,
 * the counts that manageJob and the deletions change, and the condition the Job is to end with (null while it runs).
 */
final class JobSyncContext {
    ObjectNode job;
    JsonNode spec;
    List<ObjectNode> pods;
    List<ObjectNode> activePods;
    ObjectNode status;
    Set<String> uncountedSucceeded;
    Set<String> uncountedFailed;
    boolean indexed;
    /** spec.completions, or -1 without one (a work queue Job). */
    int completions;

    int active;
    int ready;
    int terminating;
    int succeeded;
    /** The interim (FailureTarget, SuccessCriteriaMet) or final condition decided, else null. */
    ObjectNode finished;

    JobIndexes prevSucceededIndexes = JobIndexes.NONE;
    JobIndexes succeededIndexes = JobIndexes.NONE;
    JobIndexes failedIndexes;
    /** Per index, the failed pod whose finalizer stays until its replacement carries the failure count. */
    Map<Integer, ObjectNode> delayed = Map.of();

    JobBackoff newBackoff;
    boolean suspendChanged;

    String finishedType() {
        return finished.path("type").asText();
    }

    /** getValidPodsWithFilter: pods with the finalizer, not yet in {@code uncounted}, of a valid index. */
    List<ObjectNode> validPods(Set<String> uncounted, Predicate<ObjectNode> filter) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode p : pods) {
            if (!JobPods.hasFinalizer(p) || uncounted.contains(PodTemplates.uid(p))) {
                continue;
            }
            if (indexed) {
                int ix = JobPods.index(p);
                if (ix == JobPods.UNKNOWN_INDEX || ix >= completions) {
                    continue;
                }
            }
            if (filter.test(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
