package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ObjLongConsumer;

/**
 * manageJob and the pod deletions of pkg/controller/job/job_controller.go: a suspended Job's active pods are
 * deleted, too many are deleted (out-of-range and repeated indexes first, then the newest), too few are created
 * after the backoff ({@link JobBackoff}; per index with backoffLimitPerIndex), Indexed pods at the lowest pending
 * indexes. The counts in the {@link JobSyncContext} follow the writes that took place.
 */
final class JobManager {
    private final JobWrites writes;
    /** The controller's workqueue AddAfter: the key and the delay in milliseconds. */
    private final ObjLongConsumer<String> enqueueAfter;

    JobManager(JobWrites writes, ObjLongConsumer<String> enqueueAfter) {
        this.writes = writes;
        this.enqueueAfter = enqueueAfter;
    }

    /** manageJob: suspend deletes the active pods; too many are deleted; too few are created after the backoff. */
    Future<Void> manageJob(JobSyncContext c, Instant now) {
        int parallelism = c.spec.path("parallelism").asInt(1);
        if (c.spec.path("suspend").asBoolean()) {
            return deleteActive(c, c.activePods, true);
        }
        int wantActive;
        if (c.completions < 0) {
            wantActive = c.succeeded > 0 ? c.active : parallelism;
        } else {
            wantActive = Math.max(0, Math.min(parallelism, c.completions - c.succeeded));
        }
        int rmAtLeast = Math.max(0, c.active - wantActive);
        List<ObjectNode> excess = forRemoval(c, rmAtLeast);
        if (!excess.isEmpty()) {
            return deleteActive(c, excess, true);
        }
        int terminating = JobPods.onlyReplaceFailedPods(c.job) ? c.terminating : 0;
        int diff = wantActive - terminating - c.active;
        if (diff <= 0) {
            return Future.succeededFuture();
        }
        boolean perIndex = c.spec.hasNonNull("backoffLimitPerIndex");
        if (!perIndex) {
            Duration wait = c.newBackoff.remaining(now);
            if (!wait.isZero()) {
                enqueueAfter.accept(PodTemplates.key(c.job), wait.toMillis() + 1);
                c.active = 0;
                return Future.succeededFuture();
            }
        }
        List<Integer> indexes = new ArrayList<>();
        if (c.indexed) {
            indexes = IndexedJobs.firstPendingIndexes(c, diff);
            if (perIndex) {
                List<Integer> addNow = new ArrayList<>();
                Duration min = null;
                for (int ix : indexes) {
                    ObjectNode last = c.delayed.get(ix);
                    Duration wait = last == null
                            ? Duration.ZERO
                            : JobBackoff.remaining(
                                    IndexedJobs.absoluteFailures(last) + 1, JobPods.finishedTime(last), now);
                    if (wait.isZero()) {
                        addNow.add(ix);
                    } else if (min == null || wait.compareTo(min) < 0) {
                        min = wait;
                    }
                }
                if (addNow.isEmpty() && min != null) {
                    enqueueAfter.accept(PodTemplates.key(c.job), min.toMillis() + 1);
                    c.active = 0;
                    return Future.succeededFuture();
                }
                indexes = addNow;
            }
            diff = indexes.size();
        }
        String name = PodTemplates.name(c.job);
        Future<Void> created = Future.succeededFuture();
        for (int i = 0; i < diff; i++) {
            ObjectNode pod;
            if (c.indexed) {
                int ix = indexes.get(i);
                pod = JobPods.fromTemplate(
                        c.job, name + "-" + ix + "-", ix, perIndex ? IndexedJobs.failureCounts(c, ix) : null);
            } else {
                pod = JobPods.fromTemplate(c.job, name + "-", null, null);
            }
            created = created.compose(v -> writes.createPod(c.job, pod).map(p -> {
                c.active++;
                return null;
            }));
        }
        return created;
    }

    /**
     * activePodsForRemoval: in Indexed mode the pods of indexes out of range and all but one of a repeated index
     * first; then the newest.
     */
    private static List<ObjectNode> forRemoval(JobSyncContext c, int rmAtLeast) {
        List<ObjectNode> rm = new ArrayList<>();
        List<ObjectNode> left = new ArrayList<>(c.activePods);
        if (c.indexed) {
            Set<Integer> seen = new HashSet<>();
            left.sort(Comparator.comparingInt(JobPods::index));
            for (ObjectNode p : List.copyOf(left)) {
                int ix = JobPods.index(p);
                if (ix == JobPods.UNKNOWN_INDEX || ix >= c.completions || !seen.add(ix)) {
                    rm.add(p);
                    left.remove(p);
                }
            }
        }
        left.sort((a, b) -> b.path("metadata")
                .path("creationTimestamp")
                .asText()
                .compareTo(a.path("metadata").path("creationTimestamp").asText()));
        for (int i = 0; rm.size() < rmAtLeast && i < left.size(); i++) {
            rm.add(left.get(i));
        }
        return rm;
    }

    /**
     * deleteActivePods (the Job ends: pods keep their finalizer until counted) or deleteJobPods (suspend, excess:
     * the finalizer goes first); the counts follow the deletions that took place.
     */
    Future<Void> deleteActive(JobSyncContext c, List<ObjectNode> victims, boolean releaseFirst) {
        List<Future<Void>> out = new ArrayList<>();
        for (ObjectNode pod : victims) {
            Future<Void> start = releaseFirst ? writes.removeFinalizer(pod) : Future.succeededFuture();
            out.add(start.compose(v -> writes.deletePod(c.job, pod)).map(v -> {
                synchronized (c) {
                    c.active--;
                    c.terminating++;
                    if (PodTemplates.isReady(pod)) {
                        c.ready--;
                    }
                }
                return null;
            }));
        }
        return Future.all(out).mapEmpty();
    }
}
