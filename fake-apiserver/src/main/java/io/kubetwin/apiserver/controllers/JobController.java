package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.Deleter;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Job controller (pkg/controller/job/job_controller.go syncJob, manageJob and trackJobStatusAndRemoveFinalizers),
 * for pods that never run on their own (no scheduler, no kubelet: a test moves them to Succeeded or Failed by writing
 * their status). It creates a Job's pods from its template ({@link JobPods#fromTemplate}) up to {@code parallelism}
 * and the completions still missing, after the pod failure backoff (10s doubling to 6 minutes, from the failed pods'
 * finish times; per index with {@code backoffLimitPerIndex}); counts ended pods through
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
    static final String TRACKING_FINALIZER = JobPods.TRACKING_FINALIZER;
    static final String INDEX_KEY = JobPods.INDEX_KEY;
    private static final ResourceKey JOBS = new ResourceKey("batch", "jobs");
    private static final ResourceKey PODS = new ResourceKey("", "pods");
    private static final Duration BACKOFF = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(6);

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final Clock clock;
    private final EventRecorder events;
    /** Per Job key: the failures since the last success and the last failure's time (backoff_utils.go). */
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

    private record Backoff(int failures, Instant lastFailure) {
        static final Backoff NONE = new Backoff(0, null);
    }

    JobController(Vertx vertx, GenericRegistry registry, Clock clock) {
        super(vertx, registry, NAME);
        this.clock = clock;
        this.events = new EventRecorder(registry, NAME, identity, clock);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(JOBS, (type, job) -> type == WatchEvent.Type.DELETED ? List.of() : List.of(key(job))),
                new Source(PODS, (type, pod) -> owner(pod, "Job")));
    }

    /** The namespace/name of the pod's controller of {@code kind}, if any. */
    static List<String> owner(ObjectNode pod, String kind) {
        for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean()
                    && kind.equals(ref.path("kind").asText())) {
                return List.of(pod.path("metadata").path("namespace").asText() + "/"
                        + ref.path("name").asText());
            }
        }
        return List.of();
    }

    static String key(ObjectNode object) {
        return object.path("metadata").path("namespace").asText() + "/"
                + object.path("metadata").path("name").asText();
    }

    private ServedResource jobs() {
        return registry.catalog().lookup("batch", "v1", "jobs").orElseThrow();
    }

    private ServedResource pods() {
        return registry.catalog().lookup("", "v1", "pods").orElseThrow();
    }

    @Override
    protected Future<Void> sync(String key) {
        String namespace = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        return registry.storage()
                .list(PODS, namespace)
                .compose(list -> registry.get(jobs(), namespace, name)
                        .compose(job -> syncJob(
                                job,
                                controlled(
                                        list.items(),
                                        job.path("metadata").path("uid").asText())))
                        .recover(e -> ControllerIdentity.isNotFound(e)
                                ? releaseOrphans(list.items(), name)
                                : Future.failedFuture(e)));
    }

    private static List<ObjectNode> controlled(List<ObjectNode> pods, String uid) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode pod : pods) {
            for (JsonNode ref : pod.path("metadata").path("ownerReferences")) {
                if (ref.path("controller").asBoolean()
                        && uid.equals(ref.path("uid").asText())) {
                    out.add(pod);
                }
            }
        }
        return out;
    }

    /** A deleted Job's pods keep no tracking finalizer (the orphan pods' cleanup). */
    private Future<Void> releaseOrphans(List<ObjectNode> pods, String jobName) {
        List<Future<Void>> done = new ArrayList<>();
        for (ObjectNode pod : pods) {
            List<String> owner = owner(pod, "Job");
            if (!owner.isEmpty() && owner.get(0).endsWith("/" + jobName) && JobPods.hasFinalizer(pod)) {
                done.add(removeFinalizer(pod));
            }
        }
        return Future.all(done).mapEmpty();
    }

    /** One sync's view of a Job (syncJobCtx). */
    private static final class Ctx {
        ObjectNode job;
        JsonNode spec;
        List<ObjectNode> pods;
        List<ObjectNode> activePods;
        ObjectNode status;
        Set<String> uncountedSucceeded;
        Set<String> uncountedFailed;
        boolean indexed;
        int completions;
        int active;
        int ready;
        int terminating;
        int succeeded;
        ObjectNode finished;
        JobIndexes prevSucceededIndexes = JobIndexes.NONE;
        JobIndexes succeededIndexes = JobIndexes.NONE;
        JobIndexes failedIndexes;
        Map<Integer, ObjectNode> delayed = Map.of();
        Backoff newBackoff;
        boolean suspendChanged;
    }

    private Future<Void> syncJob(ObjectNode job, List<ObjectNode> pods) {
        String key = key(job);
        if (JobConditions.finished(job.path("status")) != null) {
            backoffs.remove(key);
            return Future.succeededFuture();
        }
        Instant now = clock.instant();
        Ctx c = new Ctx();
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
        c.activePods = pods.stream().filter(JobPods::isActive).toList();
        c.ready = (int) c.activePods.stream().filter(PodTemplates::isReady).count();
        c.terminating = (int) pods.stream().filter(JobPods::isTerminating).count();
        c.active = c.activePods.size();
        boolean suspended = c.spec.path("suspend").asBoolean();
        JsonNode policy = c.spec.get("podFailurePolicy");

        List<ObjectNode> newSucceeded = valid(c, c.uncountedSucceeded, p -> "Succeeded".equals(JobPods.phase(p)));
        List<ObjectNode> newFailed = valid(c, c.uncountedFailed, p -> JobPods.isFailed(p, job));
        c.succeeded = c.status.path("succeeded").asInt() + newSucceeded.size() + c.uncountedSucceeded.size();
        int failed = c.status.path("failed").asInt()
                + (int) newFailed.stream()
                        .filter(p -> PodFailurePolicy.match(policy, p).countFailed())
                        .count()
                + c.uncountedFailed.size();
        if (!c.status.hasNonNull("startTime") && !suspended) {
            c.status.put("startTime", JobConditions.time(now));
        }
        c.newBackoff = newBackoff(backoffs.getOrDefault(key, Backoff.NONE), newSucceeded, newFailed);

        // the end, in upstream's order: earlier interim conditions, then failures, then successes
        JsonNode successCriteriaMet = JobConditions.findTrue(job.path("status"), JobConditions.SUCCESS_CRITERIA_MET);
        if (successCriteriaMet != null) {
            c.finished = successCriteriaMet.deepCopy();
        } else {
            JsonNode target = JobConditions.findTrue(job.path("status"), JobConditions.FAILURE_TARGET);
            String failJob = target == null ? failJobMessage(job, pods) : null;
            if (target != null) {
                c.finished = condition(JobConditions.FAILED, target, now);
            } else if (failJob != null) {
                c.finished = JobConditions.newCondition(
                        JobConditions.FAILURE_TARGET, "True", "PodFailurePolicy", failJob, now);
            }
        }
        if (c.finished == null) {
            if (failed > c.spec.path("backoffLimit").asInt(6) || pastBackoffLimitOnFailure(job, pods)) {
                c.finished = failure("BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
            } else if (pastActiveDeadline(job, now)) {
                c.finished = failure("DeadlineExceeded", "Job was active longer than specified deadline", now);
            } else if (c.spec.hasNonNull("activeDeadlineSeconds") && !suspended) {
                Instant deadline = Instant.parse(c.status.path("startTime").asText())
                        .plusSeconds(c.spec.get("activeDeadlineSeconds").asLong());
                enqueueAfter(key, Math.max(0, Duration.between(now, deadline).toMillis()) + 1);
            }
        }
        if (c.indexed) {
            indexes(c, now);
        }
        Future<Void> managed;
        if (c.finished != null) {
            managed = deleteActive(c, c.activePods, false);
        } else {
            boolean manageCalled = false;
            if (!job.path("metadata").has("deletionTimestamp")) {
                managed = manageJob(c, now);
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
            return trackStatus(c, now);
        });
    }

    private static Set<String> uids(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(u -> out.add(u.asText()));
        return out;
    }

    /** getValidPodsWithFilter: pods with the finalizer, not yet in {@code uncounted}, of a valid index. */
    private static List<ObjectNode> valid(
            Ctx c, Set<String> uncounted, java.util.function.Predicate<ObjectNode> filter) {
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode p : c.pods) {
            if (!JobPods.hasFinalizer(p) || uncounted.contains(JobPods.uid(p))) {
                continue;
            }
            if (c.indexed) {
                int ix = JobPods.index(p);
                if (ix == JobPods.UNKNOWN_INDEX || ix >= c.completions) {
                    continue;
                }
            }
            if (filter.test(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static String failJobMessage(JsonNode job, List<ObjectNode> pods) {
        JsonNode policy = job.path("spec").get("podFailurePolicy");
        if (policy == null || policy.isNull()) {
            return null;
        }
        for (ObjectNode p : pods) {
            if (JobPods.isFailed(p, job)) {
                String message = PodFailurePolicy.match(policy, p).failJobMessage();
                if (message != null) {
                    return message;
                }
            }
        }
        return null;
    }

    /** newFailureCondition: FailureTarget first (the terminal condition waits for the pods). */
    private static ObjectNode failure(String reason, String message, Instant now) {
        return JobConditions.newCondition(JobConditions.FAILURE_TARGET, "True", reason, message, now);
    }

    private static ObjectNode condition(String type, JsonNode from, Instant now) {
        return JobConditions.newCondition(
                type, "True", from.path("reason").asText(), from.path("message").asText(), now);
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

    /** Succeeded and failed indexes, the per-index failure ends and the success policy (Indexed Jobs). */
    private static void indexes(Ctx c, Instant now) {
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
                    c.finished = failure(
                            "MaxFailedIndexesExceeded",
                            "Job has exceeded the specified maximal number of failed indexes",
                            now);
                } else if (c.failedIndexes.total() > 0
                        && c.failedIndexes.total() + c.succeededIndexes.total() >= c.completions) {
                    c.finished = failure("FailedIndexes", "Job has failed indexes", now);
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
    private static boolean indexFailed(Ctx c, ObjectNode p) {
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
    private static Map<Integer, ObjectNode> delayedDeletions(Ctx c) {
        Set<Integer> activeIndexes = new HashSet<>();
        c.activePods.forEach(p -> activeIndexes.add(JobPods.index(p)));
        Map<Integer, ObjectNode> out = new java.util.HashMap<>();
        for (ObjectNode p : valid(c, Set.of(), x -> JobPods.isFailed(x, c.job))) {
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

    private static int absoluteFailures(JsonNode p) {
        return JobPods.failureCount(p) + JobPods.ignoredFailureCount(p);
    }

    /** The Suspended condition (JobSuspended / JobResumed) and its Event; resuming restarts the deadline. */
    private void suspendCondition(Ctx c, boolean suspended, Instant now) {
        if (suspended) {
            if (JobConditions.ensure(c.status, JobConditions.SUSPENDED, "True", "JobSuspended", "Job suspended", now)) {
                c.suspendChanged = true;
                events.event(c.job, "batch/v1", EventRecorder.NORMAL, "Suspended", "Job suspended");
            }
        } else if (JobConditions.ensure(c.status, JobConditions.SUSPENDED, "False", "JobResumed", "Job resumed", now)) {
            c.suspendChanged = true;
            events.event(c.job, "batch/v1", EventRecorder.NORMAL, "Resumed", "Job resumed");
            c.status.put("startTime", JobConditions.time(now));
        }
    }

    /** newBackoffRecord: failures after the last success, and when the last of them finished. */
    private static Backoff newBackoff(Backoff old, List<ObjectNode> succeeded, List<ObjectNode> failed) {
        Comparator<ObjectNode> byFinish = Comparator.comparing(JobPods::finishedTime);
        List<ObjectNode> s = succeeded.stream().sorted(byFinish).toList();
        List<ObjectNode> f = failed.stream().sorted(byFinish).toList();
        if (s.isEmpty()) {
            return f.isEmpty()
                    ? old
                    : new Backoff(old.failures() + f.size(), JobPods.finishedTime(f.get(f.size() - 1)));
        }
        Instant lastSuccess = JobPods.finishedTime(s.get(s.size() - 1));
        int failures = 0;
        Instant lastFailure = null;
        for (int i = f.size() - 1; i >= 0; i--) {
            Instant t = JobPods.finishedTime(f.get(i));
            if (!t.isAfter(lastSuccess)) {
                break;
            }
            if (lastFailure == null) {
                lastFailure = t;
            }
            failures++;
        }
        return new Backoff(failures, lastFailure);
    }

    /** getRemainingTimeForFailuresCount. */
    private static Duration remaining(int failures, Instant lastFailure, Instant now) {
        if (failures == 0 || lastFailure == null) {
            return Duration.ZERO;
        }
        Duration backoff = BACKOFF;
        for (int i = 1; i < failures; i++) {
            backoff = backoff.multipliedBy(2);
            if (backoff.compareTo(MAX_BACKOFF) >= 0) {
                backoff = MAX_BACKOFF;
                break;
            }
        }
        Duration elapsed = Duration.between(lastFailure, now);
        return backoff.compareTo(elapsed) < 0 ? Duration.ZERO : backoff.minus(elapsed);
    }

    /** manageJob: suspend deletes the active pods; too many are deleted; too few are created after the backoff. */
    private Future<Void> manageJob(Ctx c, Instant now) {
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
            Duration wait = remaining(c.newBackoff.failures(), c.newBackoff.lastFailure(), now);
            if (!wait.isZero()) {
                enqueueAfter(key(c.job), wait.toMillis() + 1);
                c.active = 0;
                return Future.succeededFuture();
            }
        }
        List<Integer> indexes = new ArrayList<>();
        if (c.indexed) {
            indexes = firstPendingIndexes(c, diff);
            if (perIndex) {
                List<Integer> addNow = new ArrayList<>();
                Duration min = null;
                for (int ix : indexes) {
                    ObjectNode last = c.delayed.get(ix);
                    Duration wait = last == null
                            ? Duration.ZERO
                            : remaining(absoluteFailures(last) + 1, JobPods.finishedTime(last), now);
                    if (wait.isZero()) {
                        addNow.add(ix);
                    } else if (min == null || wait.compareTo(min) < 0) {
                        min = wait;
                    }
                }
                if (addNow.isEmpty() && min != null) {
                    enqueueAfter(key(c.job), min.toMillis() + 1);
                    c.active = 0;
                    return Future.succeededFuture();
                }
                indexes = addNow;
            }
            diff = indexes.size();
        }
        String name = c.job.path("metadata").path("name").asText();
        Future<Void> created = Future.succeededFuture();
        for (int i = 0; i < diff; i++) {
            ObjectNode pod;
            if (c.indexed) {
                int ix = indexes.get(i);
                pod = JobPods.fromTemplate(c.job, name + "-" + ix + "-", ix, perIndex ? failureCounts(c, ix) : null);
            } else {
                pod = JobPods.fromTemplate(c.job, name + "-", null, null);
            }
            created = created.compose(v -> createPod(c.job, pod).map(p -> {
                c.active++;
                return null;
            }));
        }
        return created;
    }

    /** getNewIndexFailureCounts: the replaced pod's counts, its own failure added to the counted or ignored one. */
    private static int[] failureCounts(Ctx c, int ix) {
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
    private static List<Integer> firstPendingIndexes(Ctx c, int count) {
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

    /**
     * activePodsForRemoval: in Indexed mode the pods of indexes out of range and all but one of a repeated index
     * first; then the newest.
     */
    private static List<ObjectNode> forRemoval(Ctx c, int rmAtLeast) {
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
    private Future<Void> deleteActive(Ctx c, List<ObjectNode> victims, boolean releaseFirst) {
        List<Future<Void>> out = new ArrayList<>();
        for (ObjectNode pod : victims) {
            Future<Void> start = releaseFirst ? removeFinalizer(pod) : Future.succeededFuture();
            out.add(start.compose(v -> deletePod(c.job, pod)).map(v -> {
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

    /**
     * trackJobStatusAndRemoveFinalizers: ended pods into uncountedTerminatedPods (with the interim condition), the
     * finalizers removed, the released pods counted, then the final condition and its Event.
     */
    private Future<Void> trackStatus(Ctx c, Instant now) {
        ObjectNode status = c.status;
        List<ObjectNode> pods = new ArrayList<>(c.pods);
        if (c.indexed) {
            pods.sort(Comparator.comparingInt(JobPods::index));
        }
        Set<String> withFinalizer = new HashSet<>();
        for (ObjectNode p : pods) {
            if (JobPods.hasFinalizer(p)) {
                withFinalizer.add(JobPods.uid(p));
            }
        }
        countReleased(status, withFinalizer);
        ObjectNode uncounted = status.with("uncountedTerminatedPods");
        JsonNode policy = c.spec.get("podFailurePolicy");
        List<ObjectNode> release = new ArrayList<>();
        List<Integer> newSucceededIndexes = new ArrayList<>();
        boolean finishing = c.finished != null && !JobConditions.SUCCESS_CRITERIA_MET.equals(finishedType(c));
        for (ObjectNode p : pods) {
            if (!JobPods.hasFinalizer(p)) {
                continue;
            }
            String uid = JobPods.uid(p);
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
        if (c.finished != null && JobConditions.FAILURE_TARGET.equals(finishedType(c))) {
            JobConditions.append(status, c.finished);
            c.finished = condition(JobConditions.FAILED, c.finished, now);
        }
        if (c.finished != null && JobConditions.SUCCESS_CRITERIA_MET.equals(finishedType(c))) {
            if (JobConditions.findTrue(status, JobConditions.SUCCESS_CRITERIA_MET) == null) {
                JobConditions.append(status, c.finished);
            }
            c.finished = condition(JobConditions.COMPLETE, c.finished, now);
        }
        String key = key(c.job);
        Backoff backoff = c.newBackoff;
        return writeStatus(c.job, status)
                .compose(job -> {
                    if (job != c.job) {
                        backoffs.put(key, backoff);
                    }
                    return Future.all(release.stream()
                                    .map(p -> removeFinalizer(p)
                                            .map(v -> withFinalizer.remove(JobPods.uid(p)))
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
                        String type = finishedType(c);
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
                    return writeStatus(job, after)
                            .compose(written -> finished && written != job
                                    ? recordFinished(written, c)
                                    : Future.<Void>succeededFuture());
                });
    }

    private static String finishedType(Ctx c) {
        return c.finished.path("type").asText();
    }

    /** canRemoveFinalizer: the Job ends or goes, the pod succeeded, or it failed (unless its index waits for it). */
    private static boolean canRemoveFinalizer(Ctx c, ObjectNode p, boolean failed) {
        if (c.job.path("metadata").has("deletionTimestamp")
                || c.finished != null
                || "Succeeded".equals(JobPods.phase(p))) {
            return true;
        }
        if (!failed) {
            return false;
        }
        ObjectNode delayed = c.delayed.get(JobPods.index(p));
        return delayed == null || !JobPods.uid(delayed).equals(JobPods.uid(p));
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
    private Future<Void> recordFinished(ObjectNode job, Ctx c) {
        if (JobConditions.COMPLETE.equals(finishedType(c))) {
            Future<Void> first = Future.succeededFuture();
            if (c.completions >= 0 && job.path("status").path("succeeded").asInt() > c.completions) {
                first = events.event(
                        job,
                        "batch/v1",
                        EventRecorder.WARNING,
                        "TooManySucceededPods",
                        "Too many succeeded pods running after completion count reached");
            }
            return first.compose(
                    v -> events.event(job, "batch/v1", EventRecorder.NORMAL, "Completed", "Job completed"));
        }
        return events.event(
                job,
                "batch/v1",
                EventRecorder.WARNING,
                c.finished.path("reason").asText(),
                c.finished.path("message").asText());
    }

    private Future<ObjectNode> createPod(ObjectNode job, ObjectNode pod) {
        String namespace = job.path("metadata").path("namespace").asText();
        return registry.create(pods(), namespace, pod, identity, false)
                .compose(created -> events.event(
                                job,
                                "batch/v1",
                                EventRecorder.NORMAL,
                                "SuccessfulCreate",
                                "Created pod: "
                                        + created.path("metadata").path("name").asText())
                        .map(created));
    }

    private Future<Void> deletePod(ObjectNode job, ObjectNode pod) {
        String name = pod.path("metadata").path("name").asText();
        return new Deleter(registry)
                .delete(
                        pods(),
                        pod.path("metadata").path("namespace").asText(),
                        name,
                        Deleter.Options.defaults(),
                        identity)
                .compose(r ->
                        events.event(job, "batch/v1", EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + name))
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private Future<Void> removeFinalizer(ObjectNode pod) {
        String namespace = pod.path("metadata").path("namespace").asText();
        String name = pod.path("metadata").path("name").asText();
        return registry.get(pods(), namespace, name)
                .compose(latest -> {
                    ObjectNode meta = (ObjectNode) latest.get("metadata");
                    if (!meta.path("uid").asText().equals(JobPods.uid(pod)) || !JobPods.hasFinalizer(latest)) {
                        return Future.<Void>succeededFuture();
                    }
                    ArrayNode kept = meta.arrayNode();
                    meta.path("finalizers").forEach(f -> {
                        if (!TRACKING_FINALIZER.equals(f.asText())) {
                            kept.add(f);
                        }
                    });
                    if (kept.isEmpty()) {
                        meta.remove("finalizers");
                    } else {
                        meta.set("finalizers", kept);
                    }
                    return registry.update(pods(), namespace, name, latest, "", identity, false)
                            .<Void>mapEmpty();
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /**
     * Writes the status when it changed and answers the Job as written (the same object when nothing changed); a
     * conflict fails the sync, which the queue retries (the watch brings the newer Job).
     */
    private Future<ObjectNode> writeStatus(ObjectNode job, ObjectNode status) {
        if (status.equals(job.path("status"))) {
            return Future.succeededFuture(job);
        }
        ObjectNode updated = job.deepCopy();
        updated.set("status", status.deepCopy());
        String namespace = job.path("metadata").path("namespace").asText();
        return registry.update(
                        jobs(),
                        namespace,
                        job.path("metadata").path("name").asText(),
                        updated,
                        "status",
                        identity,
                        false)
                .map(written -> (ObjectNode) written);
    }

    /** RFC 3339 seconds, as metav1.Time marshals. */
    static String time(Instant t) {
        return JobConditions.time(t);
    }
}
