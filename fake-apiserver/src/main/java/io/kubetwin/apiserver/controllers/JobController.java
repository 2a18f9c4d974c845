package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Job controller (pkg/controller/job/job_controller.go syncJob here; manageJob in {@link JobManager},
 * trackJobStatusAndRemoveFinalizers in {@link JobStatusTracker}, indexed_job_utils.go in {@link IndexedJobs},
 * backoff_utils.go in {@link JobBackoff}, pod_failure_policy.go in {@link PodFailurePolicy}, the writes in
 * {@link JobWrites}), for pods that never run on their own (no scheduler, no kubelet: a test moves them to Succeeded
 * or Failed by writing their status). It creates a Job's pods from its template ({@link JobPods#fromTemplate}) up to
 * {@code parallelism} and the completions still missing, after the pod failure backoff (10s doubling to 6 minutes,
 * from the failed pods' finish times; per index with {@code backoffLimitPerIndex}); counts ended pods through
 * {@code uncountedTerminatedPods} and the removal of the tracking finalizer; writes {@code startTime}, {@code active},
 * {@code ready}, {@code terminating}, {@code succeeded}, {@code failed}, {@code completedIndexes} and
 * {@code failedIndexes}; and decides the end in upstream's order: an earlier SuccessCriteriaMet or FailureTarget, a
 * {@code podFailurePolicy} FailJob rule ({@link PodFailurePolicy}), {@code backoffLimit}, {@code activeDeadlineSeconds},
 * {@code maxFailedIndexes} and failed indexes, a {@code successPolicy} ({@link JobIndexes}), then the completions.
 * The interim condition (FailureTarget or SuccessCriteriaMet) is written with the uncounted pods, the final one (Failed
 * or Complete, same reason and message) once every pod is counted and none is terminating, with its Event. Suspend
 * and resume write the Suspended condition and their Events.
 */
final class JobController extends QueueController {
    static final String NAME = "job-controller";
    private static final ResourceKey JOBS = new ResourceKey("batch", "jobs");
    private static final ResourceKey PODS = new ResourceKey("", "pods");

    private final Clock clock;
    private final JobWrites writes;
    /** Per Job key: the failures since the last success and the last failure's time (backoff_utils.go). */
    private final Map<String, JobBackoff> backoffs = new ConcurrentHashMap<>();

    private final JobManager manager;
    private final JobStatusTracker tracker;

    JobController(Vertx vertx, GenericRegistry registry, Clock clock) {
        super(vertx, registry, NAME);
        this.clock = clock;
        var identity = ControllerIdentity.serviceAccount(NAME);
        this.writes = new JobWrites(registry, identity, new EventRecorder(registry, NAME, identity, clock));
        this.manager = new JobManager(writes, this::enqueueAfter);
        this.tracker = new JobStatusTracker(writes, backoffs);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(
                        JOBS,
                        (type, job) -> type == WatchEvent.Type.DELETED ? List.of() : List.of(PodTemplates.key(job))),
                new Source(PODS, (type, pod) -> PodTemplates.controllerKey(pod, "Job")));
    }

    @Override
    protected Future<Void> sync(String key) {
        String namespace = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        return registry.storage()
                .list(PODS, namespace)
                .compose(list -> registry.get(writes.jobs(), namespace, name)
                        .compose(job -> syncJob(job, PodTemplates.controlledBy(list.items(), PodTemplates.uid(job))))
                        .recover(e -> ControllerIdentity.isNotFound(e)
                                ? releaseOrphans(list.items(), name)
                                : Future.failedFuture(e)));
    }

    /** A deleted Job's pods keep no tracking finalizer (the orphan pods' cleanup). */
    private Future<Void> releaseOrphans(List<ObjectNode> pods, String jobName) {
        List<Future<Void>> done = new ArrayList<>();
        for (ObjectNode pod : pods) {
            List<String> owner = PodTemplates.controllerKey(pod, "Job");
            if (!owner.isEmpty() && owner.get(0).endsWith("/" + jobName) && JobPods.hasFinalizer(pod)) {
                done.add(writes.removeFinalizer(pod));
            }
        }
        return Future.all(done).mapEmpty();
    }

    private Future<Void> syncJob(ObjectNode job, List<ObjectNode> pods) {
        String key = PodTemplates.key(job);
        if (JobConditions.finished(job.path("status")) != null) {
            backoffs.remove(key);
            return Future.succeededFuture();
        }
        Instant now = clock.instant();
        JobSyncContext c = new JobSyncContext();
        c.job = job;
        c.spec = job.path("spec");
        c.pods = pods;
        c.status = job.has("status") ? ((ObjectNode) job.get("status")).deepCopy() : job.objectNode();
        if (!c.status.has("uncountedTerminatedPods")) {
            c.status.putObject("uncountedTerminatedPods");
        }
        JsonNode uncounted = c.status.path("uncountedTerminatedPods");
        c.uncountedSucceeded = uids(uncounted.path("succeeded"));
        c.uncountedFailed = uids(uncounted.path("failed"));
        c.indexed = "Indexed".equals(c.spec.path("completionMode").asText());
        c.completions =
                c.spec.hasNonNull("completions") ? c.spec.get("completions").asInt() : -1;
        c.activePods = pods.stream().filter(PodTemplates::isActive).toList();
        c.ready = (int) c.activePods.stream().filter(PodTemplates::isReady).count();
        c.terminating = (int) pods.stream().filter(JobPods::isTerminating).count();
        c.active = c.activePods.size();
        boolean suspended = c.spec.path("suspend").asBoolean();
        JsonNode policy = c.spec.get("podFailurePolicy");

        List<ObjectNode> newSucceeded = c.validPods(c.uncountedSucceeded, p -> "Succeeded".equals(JobPods.phase(p)));
        List<ObjectNode> newFailed = c.validPods(c.uncountedFailed, p -> JobPods.isFailed(p, job));
        c.succeeded = c.status.path("succeeded").asInt() + newSucceeded.size() + c.uncountedSucceeded.size();
        int failed = c.status.path("failed").asInt()
                + (int) newFailed.stream()
                        .filter(p -> PodFailurePolicy.match(policy, p).countFailed())
                        .count()
                + c.uncountedFailed.size();
        if (!c.status.hasNonNull("startTime") && !suspended) {
            c.status.put("startTime", JobConditions.time(now));
        }
        c.newBackoff = backoffs.getOrDefault(key, JobBackoff.NONE).next(newSucceeded, newFailed);

        // the end, in upstream's order: earlier interim conditions, then failures, then successes
        JsonNode successCriteriaMet = JobConditions.findTrue(job.path("status"), JobConditions.SUCCESS_CRITERIA_MET);
        if (successCriteriaMet != null) {
            c.finished = successCriteriaMet.deepCopy();
        } else {
            JsonNode target = JobConditions.findTrue(job.path("status"), JobConditions.FAILURE_TARGET);
            String failJob = target == null ? PodFailurePolicy.failJobMessage(job, pods) : null;
            if (target != null) {
                c.finished = JobConditions.like(JobConditions.FAILED, target, now);
            } else if (failJob != null) {
                c.finished = JobConditions.newCondition(
                        JobConditions.FAILURE_TARGET, "True", "PodFailurePolicy", failJob, now);
            }
        }
        if (c.finished == null) {
            if (failed > c.spec.path("backoffLimit").asInt(6) || pastBackoffLimitOnFailure(job, pods)) {
                c.finished = JobConditions.failureTarget(
                        "BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
            } else if (pastActiveDeadline(job, now)) {
                c.finished = JobConditions.failureTarget(
                        "DeadlineExceeded", "Job was active longer than specified deadline", now);
            } else if (c.spec.hasNonNull("activeDeadlineSeconds") && !suspended) {
                Instant deadline = Instant.parse(c.status.path("startTime").asText())
                        .plusSeconds(c.spec.get("activeDeadlineSeconds").asLong());
                enqueueAfter(key, Math.max(0, Duration.between(now, deadline).toMillis()) + 1);
            }
        }
        if (c.indexed) {
            IndexedJobs.update(c, now);
        }
        Future<Void> managed;
        if (c.finished != null) {
            managed = manager.deleteActive(c, c.activePods, false);
        } else {
            boolean manageCalled = false;
            if (!job.path("metadata").has("deletionTimestamp")) {
                managed = manager.manageJob(c, now);
                manageCalled = true;
            } else {
                managed = Future.succeededFuture();
            }
            boolean called = manageCalled;
            managed = managed.map(v -> {
                boolean complete = c.completions < 0
                        ? c.succeeded > 0 && c.active == 0
                        : c.succeeded >= c.completions && c.active == 0;
                if (complete) {
                    c.finished = JobConditions.newCondition(
                            JobConditions.SUCCESS_CRITERIA_MET,
                            "True",
                            "CompletionsReached",
                            "Reached expected number of succeeded pods",
                            now);
                } else if (called) {
                    suspendCondition(c, suspended, now);
                }
                return null;
            });
        }
        return managed.compose(v -> {
            if (c.active > 0) {
                c.status.put("active", c.active);
            } else {
                c.status.remove("active");
            }
            c.status.put("ready", c.ready);
            c.status.put("terminating", c.terminating);
            return tracker.trackStatus(c, now);
        });
    }

    private static Set<String> uids(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(u -> out.add(u.asText()));
        return out;
    }

    /** With restartPolicy OnFailure: the container restarts of pending and running pods reach the backoffLimit. */
    private static boolean pastBackoffLimitOnFailure(JsonNode job, List<ObjectNode> pods) {
        if (!"OnFailure"
                .equals(job.path("spec")
                        .path("template")
                        .path("spec")
                        .path("restartPolicy")
                        .asText())) {
            return false;
        }
        int restarts = 0;
        for (ObjectNode p : pods) {
            if ("Running".equals(JobPods.phase(p)) || "Pending".equals(JobPods.phase(p))) {
                for (String list : List.of("initContainerStatuses", "containerStatuses")) {
                    for (JsonNode cs : p.path("status").path(list)) {
                        restarts += cs.path("restartCount").asInt();
                    }
                }
            }
        }
        int limit = job.path("spec").path("backoffLimit").asInt(6);
        return limit == 0 ? restarts > 0 : restarts >= limit;
    }

    private static boolean pastActiveDeadline(JsonNode job, Instant now) {
        JsonNode spec = job.path("spec");
        JsonNode start = job.path("status").get("startTime");
        if (!spec.hasNonNull("activeDeadlineSeconds")
                || start == null
                || start.isNull()
                || spec.path("suspend").asBoolean()) {
            return false;
        }
        Duration ran = Duration.between(Instant.parse(start.asText()), now);
        return ran.compareTo(
                        Duration.ofSeconds(spec.get("activeDeadlineSeconds").asLong()))
                >= 0;
    }

    /** The Suspended condition (JobSuspended / JobResumed) and its Event; resuming restarts the deadline. */
    private void suspendCondition(JobSyncContext c, boolean suspended, Instant now) {
        if (suspended) {
            if (JobConditions.ensure(c.status, JobConditions.SUSPENDED, "True", "JobSuspended", "Job suspended", now)) {
                c.suspendChanged = true;
                writes.event(c.job, EventRecorder.NORMAL, "Suspended", "Job suspended");
            }
        } else if (JobConditions.ensure(c.status, JobConditions.SUSPENDED, "False", "JobResumed", "Job resumed", now)) {
            c.suspendChanged = true;
            writes.event(c.job, EventRecorder.NORMAL, "Resumed", "Job resumed");
            c.status.put("startTime", JobConditions.time(now));
        }
    }
}
