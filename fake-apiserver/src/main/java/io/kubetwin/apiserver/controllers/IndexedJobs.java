package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Indexed Jobs (pkg/controller/job/indexed_job_utils.go, with success_policy.go's matchSuccessPolicy in
 * {@link JobIndexes}): the succeeded and failed indexes, the ends they decide (maxFailedIndexes, failed indexes, a
 * success policy), the failed pods whose finalizer waits for their index's replacement, the failure counts that
 * replacement carries, and the lowest indexes still pending.
 */
final class IndexedJobs {
    private IndexedJobs() {}

    /** Succeeded and failed indexes, the per-index failure ends and the success policy. */
    static void update(JobSyncContext c, Instant now) {
        c.prevSucceededIndexes =
                JobIndexes.parse(c.status.path("completedIndexes").asText(""), c.completions);
        List<Integer> newly = new ArrayList<>();
        for (ObjectNode p : c.pods) {
            int ix = JobPods.index(p);
            if ("Succeeded".equals(JobPods.phase(p))
                    && ix != JobPods.UNKNOWN_INDEX
                    && ix < c.completions
                    && JobPods.hasFinalizer(p)) {
                newly.add(ix);
            }
        }
        c.succeededIndexes = c.prevSucceededIndexes.with(newly);
        c.succeeded = c.succeededIndexes.total();
        if (c.spec.hasNonNull("backoffLimitPerIndex")) {
            JobIndexes prev = c.status.hasNonNull("failedIndexes")
                    ? JobIndexes.parse(c.status.get("failedIndexes").asText(), c.completions)
                    : JobIndexes.NONE;
            List<Integer> failed = new ArrayList<>();
            for (ObjectNode p : c.pods) {
                int ix = JobPods.index(p);
                if (ix != JobPods.UNKNOWN_INDEX && ix < c.completions && JobPods.hasFinalizer(p) && indexFailed(c, p)) {
                    failed.add(ix);
                }
            }
            c.failedIndexes = prev.with(failed);
            if (c.finished == null) {
                JsonNode max = c.spec.get("maxFailedIndexes");
                if (max != null && !max.isNull() && c.failedIndexes.total() > max.asInt()) {
                    c.finished = JobConditions.failureTarget(
                            "MaxFailedIndexesExceeded",
                            "Job has exceeded the specified maximal number of failed indexes",
                            now);
                } else if (c.failedIndexes.total() > 0
                        && c.failedIndexes.total() + c.succeededIndexes.total() >= c.completions) {
                    c.finished = JobConditions.failureTarget("FailedIndexes", "Job has failed indexes", now);
                }
            }
            c.delayed = delayedDeletions(c);
        }
        if (c.finished == null) {
            String message = c.succeededIndexes.matchSuccessPolicy(c.spec.get("successPolicy"), c.completions);
            if (message != null) {
                c.finished = JobConditions.newCondition(
                        JobConditions.SUCCESS_CRITERIA_MET, "True", "SuccessPolicy", message, now);
            }
        }
    }

    /** isIndexFailed: a FailIndex rule, or a counted failure with the index's failures at backoffLimitPerIndex. */
    private static boolean indexFailed(JobSyncContext c, ObjectNode p) {
        boolean counted = false;
        if (JobPods.isFailed(p, c.job)) {
            PodFailurePolicy.Match m = PodFailurePolicy.match(c.spec.get("podFailurePolicy"), p);
            if ("FailIndex".equals(m.action())) {
                return true;
            }
            counted = m.countFailed();
        }
        return counted
                && JobPods.failureCount(p) >= c.spec.get("backoffLimitPerIndex").asInt();
    }

    /**
     * getPodsWithDelayedDeletionPerIndex: per index neither succeeded, failed nor active, its latest failed pod,
     * whose finalizer stays until the replacement carries its failure count.
     */
    private static Map<Integer, ObjectNode> delayedDeletions(JobSyncContext c) {
        Set<Integer> activeIndexes = new HashSet<>();
        c.activePods.forEach(p -> activeIndexes.add(JobPods.index(p)));
        Map<Integer, ObjectNode> out = new HashMap<>();
        for (ObjectNode p : c.validPods(Set.of(), x -> JobPods.isFailed(x, c.job))) {
            int ix = JobPods.index(p);
            if (c.succeededIndexes.has(ix) || c.failedIndexes.has(ix) || activeIndexes.contains(ix)) {
                continue;
            }
            ObjectNode last = out.get(ix);
            if (last == null
                    || absoluteFailures(last) <= absoluteFailures(p)
                            && !JobPods.finishedTime(p).isBefore(JobPods.finishedTime(last))) {
                out.put(ix, p);
            }
        }
        return out;
    }

    /** The failures of the index the pod was created with, counted and ignored. */
    static int absoluteFailures(JsonNode p) {
        return JobPods.failureCount(p) + JobPods.ignoredFailureCount(p);
    }

    /** getNewIndexFailureCounts: the replaced pod's counts, its own failure added to the counted or ignored one. */
    static int[] failureCounts(JobSyncContext c, int ix) {
        ObjectNode replaced = c.delayed.get(ix);
        if (replaced == null) {
            return new int[] {0, 0};
        }
        int counted = JobPods.failureCount(replaced);
        int ignored = JobPods.ignoredFailureCount(replaced);
        if (PodFailurePolicy.match(c.spec.get("podFailurePolicy"), replaced).countFailed()) {
            counted++;
        } else {
            ignored++;
        }
        return new int[] {counted, ignored};
    }

    /** firstPendingIndexes: the lowest indexes neither succeeded, active, terminating (Failed policy) nor failed. */
    static List<Integer> firstPendingIndexes(JobSyncContext c, int count) {
        List<Integer> busy = new ArrayList<>();
        c.activePods.forEach(p -> busy.add(JobPods.index(p)));
        if (JobPods.onlyReplaceFailedPods(c.job)) {
            c.pods.stream().filter(JobPods::isTerminating).forEach(p -> busy.add(JobPods.index(p)));
        }
        busy.removeIf(ix -> ix == JobPods.UNKNOWN_INDEX);
        JobIndexes nonPending = c.succeededIndexes.with(busy);
        if (c.failedIndexes != null) {
            nonPending = nonPending.merge(c.failedIndexes);
        }
        List<Integer> out = new ArrayList<>();
        for (int ix = 0; ix < c.completions && out.size() < count; ix++) {
            if (!nonPending.has(ix)) {
                out.add(ix);
            }
        }
        return out;
    }
}
