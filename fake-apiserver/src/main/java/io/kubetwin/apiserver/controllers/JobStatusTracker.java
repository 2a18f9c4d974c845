package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * trackJobStatusAndRemoveFinalizers and recordJobFinished (pkg/controller/job/job_controller.go): ended pods go
 * into {@code uncountedTerminatedPods} with the interim condition, their tracking finalizers are removed, the
 * released pods move to the counters, and once every pod is counted and none is terminating the final condition
 * (Complete or Failed) is written with its Event. The Job's backoff record is kept once its status is written.
 */
final class JobStatusTracker {
    private final JobWrites writes;
    private final Map<String, JobBackoff> backoffs;

    JobStatusTracker(JobWrites writes, Map<String, JobBackoff> backoffs) {
        this.writes = writes;
        this.backoffs = backoffs;
    }

    /**
     * trackJobStatusAndRemoveFinalizers: ended pods into uncountedTerminatedPods (with the interim condition), the
     * finalizers removed, the released pods counted, then the final condition and its Event.
     */
    Future<Void> trackStatus(JobSyncContext c, Instant now) {
        ObjectNode status = c.status;
        List<ObjectNode> pods = new ArrayList<>(c.pods);
        if (c.indexed) {
            pods.sort(Comparator.comparingInt(JobPods::index));
        }
        Set<String> withFinalizer = new HashSet<>();
        for (ObjectNode p : pods) {
            if (JobPods.hasFinalizer(p)) {
                withFinalizer.add(PodTemplates.uid(p));
            }
        }
        countReleased(status, withFinalizer);
        ObjectNode uncounted = status.with("uncountedTerminatedPods");
        JsonNode policy = c.spec.get("podFailurePolicy");
        List<ObjectNode> release = new ArrayList<>();
        List<Integer> newSucceededIndexes = new ArrayList<>();
        boolean finishing = c.finished != null && !JobConditions.SUCCESS_CRITERIA_MET.equals(c.finishedType());
        for (ObjectNode p : pods) {
            if (!JobPods.hasFinalizer(p)) {
                continue;
            }
            String uid = PodTemplates.uid(p);
            boolean failed = JobPods.isFailed(p, c.job);
            if (!canRemoveFinalizer(c, p, failed)) {
                continue;
            }
            release.add(p);
            int ix = JobPods.index(p);
            if ("Succeeded".equals(JobPods.phase(p)) && !c.uncountedFailed.contains(uid)) {
                if (c.indexed) {
                    if (ix != JobPods.UNKNOWN_INDEX && ix < c.completions && !c.prevSucceededIndexes.has(ix)) {
                        newSucceededIndexes.add(ix);
                    }
                } else if (!c.uncountedSucceeded.contains(uid)) {
                    uncounted.withArray("succeeded").add(uid);
                }
            } else if (failed || finishing) {
                if (!c.uncountedFailed.contains(uid)
                        && (!c.indexed || ix != JobPods.UNKNOWN_INDEX && ix < c.completions)
                        && PodFailurePolicy.match(policy, p).countFailed()) {
                    uncounted.withArray("failed").add(uid);
                }
            }
        }
        if (c.indexed) {
            writeIndexes(c, status, newSucceededIndexes);
        }
        if (c.finished != null && JobConditions.FAILURE_TARGET.equals(c.finishedType())) {
            JobConditions.append(status, c.finished);
            c.finished = JobConditions.like(JobConditions.FAILED, c.finished, now);
        }
        if (c.finished != null && JobConditions.SUCCESS_CRITERIA_MET.equals(c.finishedType())) {
            if (JobConditions.findTrue(status, JobConditions.SUCCESS_CRITERIA_MET) == null) {
                JobConditions.append(status, c.finished);
            }
            c.finished = JobConditions.like(JobConditions.COMPLETE, c.finished, now);
        }
        String key = PodTemplates.key(c.job);
        JobBackoff backoff = c.newBackoff;
        return writes.writeStatus(c.job, status)
                .compose(job -> {
                    if (job != c.job) {
                        backoffs.put(key, backoff);
                    }
                    return Future.all(release.stream()
                                    .map(p -> writes.removeFinalizer(p)
                                            .map(v -> withFinalizer.remove(PodTemplates.uid(p)))
                                            .otherwiseEmpty())
                                    .toList())
                            .map(job);
                })
                .compose(job -> {
                    ObjectNode after = status.deepCopy();
                    countReleased(after, withFinalizer);
                    JsonNode left = after.path("uncountedTerminatedPods");
                    boolean finished = c.finished != null
                            && left.path("succeeded").isEmpty()
                            && left.path("failed").isEmpty()
                            && c.terminating == 0;
                    if (finished) {
                        String type = c.finishedType();
                        JobConditions.ensure(
                                after,
                                type,
                                "True",
                                c.finished.path("reason").asText(),
                                c.finished.path("message").asText(),
                                now);
                        if (JobConditions.COMPLETE.equals(type)) {
                            after.put(
                                    "completionTime",
                                    c.finished.path("lastTransitionTime").asText());
                        }
                    }
                    return writes.writeStatus(job, after)
                            .compose(written -> finished && written != job
                                    ? recordFinished(written, c)
                                    : Future.<Void>succeededFuture());
                });
    }

    /** succeeded, completedIndexes and failedIndexes of an Indexed Job. */
    private static void writeIndexes(JobSyncContext c, ObjectNode status, List<Integer> newSucceededIndexes) {
        c.succeededIndexes = c.succeededIndexes.with(newSucceededIndexes);
        String completed = c.succeededIndexes.toString();
        if (c.succeededIndexes.total() > 0) {
            status.put("succeeded", c.succeededIndexes.total());
        } else {
            status.remove("succeeded");
        }
        if (completed.isEmpty()) {
            status.remove("completedIndexes");
        } else {
            status.put("completedIndexes", completed);
        }
        if (c.failedIndexes != null) {
            status.put("failedIndexes", c.failedIndexes.toString());
        } else {
            status.remove("failedIndexes");
        }
    }

    /** canRemoveFinalizer: the Job ends or goes, the pod succeeded, or it failed (unless its index waits for it). */
    private static boolean canRemoveFinalizer(JobSyncContext c, ObjectNode p, boolean failed) {
        if (c.job.path("metadata").has("deletionTimestamp")
                || c.finished != null
                || "Succeeded".equals(JobPods.phase(p))) {
            return true;
        }
        if (!failed) {
            return false;
        }
        ObjectNode delayed = c.delayed.get(JobPods.index(p));
        return delayed == null || !PodTemplates.uid(delayed).equals(PodTemplates.uid(p));
    }

    /** cleanUncountedPodsWithoutFinalizers: the uncounted pods whose finalizer is gone move to the counters. */
    private static void countReleased(ObjectNode status, Set<String> withFinalizer) {
        ObjectNode uncounted = status.with("uncountedTerminatedPods");
        for (String field : List.of("succeeded", "failed")) {
            if (!uncounted.has(field)) {
                continue;
            }
            ArrayNode kept = uncounted.arrayNode();
            int moved = 0;
            for (JsonNode uid : uncounted.path(field)) {
                if (withFinalizer.contains(uid.asText())) {
                    kept.add(uid);
                } else {
                    moved++;
                }
            }
            if (moved > 0) {
                status.put(field, status.path(field).asInt() + moved);
            }
            if (kept.isEmpty()) {
                uncounted.remove(field);
            } else {
                uncounted.set(field, kept);
            }
        }
    }

    /** recordJobFinished: Completed (and TooManySucceededPods), or a Warning with the failure's reason. */
    private Future<Void> recordFinished(ObjectNode job, JobSyncContext c) {
        if (JobConditions.COMPLETE.equals(c.finishedType())) {
            Future<Void> first = Future.succeededFuture();
            if (c.completions >= 0 && job.path("status").path("succeeded").asInt() > c.completions) {
                first = writes.event(
                        job,
                        EventRecorder.WARNING,
                        "TooManySucceededPods",
                        "Too many succeeded pods running after completion count reached");
            }
            return first.compose(v -> writes.event(job, EventRecorder.NORMAL, "Completed", "Job completed"));
        }
        return writes.event(
                job,
                EventRecorder.WARNING,
                c.finished.path("reason").asText(),
                c.finished.path("message").asText());
    }
}
