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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Job controller (pkg/controller/job/job_controller.go), for pods that never run (no scheduler): creates the
 * pods of a Job from its template ({@code generateName <job>-}, or {@code <job>-<index>-} with the completion-index
 * annotation, label and hostname in Indexed mode), each with the {@value #TRACKING_FINALIZER} finalizer and a
 * controller reference, up to {@code parallelism} and the completions still missing; writes {@code status.startTime},
 * {@code active}, {@code ready}, {@code terminating} and {@code uncountedTerminatedPods}; counts a pod that is
 * deleted or ends as failed or succeeded through {@code uncountedTerminatedPods} and the removal of its finalizer,
 * and replaces a failed pod after the pod failure backoff (10s, doubling, at most 6 minutes); honours
 * {@code spec.suspend} (condition Suspended, JobSuspended / JobResumed), {@code activeDeadlineSeconds}
 * (FailureTarget then Failed, DeadlineExceeded, pods deleted), {@code backoffLimit} and completion (SuccessCriteriaMet
 * then Complete); records the reference's Events.
 */
final class JobController extends QueueController {
    static final String NAME = "job-controller";
    static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    static final String INDEX_KEY = "batch.kubernetes.io/job-completion-index";
    private static final ResourceKey JOBS = new ResourceKey("batch", "jobs");
    private static final ResourceKey PODS = new ResourceKey("", "pods");
    private static final Duration BACKOFF = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(6);
    private static final String DEADLINE_MESSAGE = "Job was active longer than specified deadline";

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final Clock clock;
    private final EventRecorder events;
    /** The last counted pod failure per Job uid, for the replacement backoff (upstream's backoff records). */
    private final Map<String, Instant> lastFailure = new ConcurrentHashMap<>();

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
            if (!owner.isEmpty() && owner.get(0).endsWith("/" + jobName) && hasFinalizer(pod)) {
                done.add(removeFinalizer(pod));
            }
        }
        return Future.all(done).mapEmpty();
    }

    private Future<Void> syncJob(ObjectNode job, List<ObjectNode> pods) {
        ObjectNode status = job.has("status") ? ((ObjectNode) job.get("status")).deepCopy() : job.objectNode();
        ObjectNode uncounted = status.with("uncountedTerminatedPods");
        Set<String> uncountedUids = new HashSet<>();
        uncounted.path("succeeded").forEach(u -> uncountedUids.add(u.asText()));
        uncounted.path("failed").forEach(u -> uncountedUids.add(u.asText()));

        // pods that ended (or are being deleted) and still hold the finalizer: recorded first, released after
        List<ObjectNode> newlyTerminated = new ArrayList<>();
        List<ObjectNode> active = new ArrayList<>();
        Set<String> withFinalizer = new HashSet<>();
        for (ObjectNode pod : pods) {
            String uid = pod.path("metadata").path("uid").asText();
            if (hasFinalizer(pod)) {
                withFinalizer.add(uid);
            }
            if (terminated(pod)) {
                if (hasFinalizer(pod) && !uncountedUids.contains(uid)) {
                    newlyTerminated.add(pod);
                }
            } else {
                active.add(pod);
            }
        }
        if (!newlyTerminated.isEmpty()) {
            for (ObjectNode pod : newlyTerminated) {
                String field =
                        "Succeeded".equals(pod.path("status").path("phase").asText()) ? "succeeded" : "failed";
                uncounted.withArray(field).add(pod.path("metadata").path("uid").asText());
            }
            return writeStatus(job, status)
                    .compose(v -> Future.all(
                            newlyTerminated.stream().map(this::removeFinalizer).toList()))
                    .mapEmpty();
        }
        // the released ones are counted
        boolean countedFailure = false;
        for (String field : List.of("succeeded", "failed")) {
            ArrayNode kept = status.arrayNode();
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
                countedFailure |= field.equals("failed");
            }
            if (kept.isEmpty()) {
                uncounted.remove(field);
            } else {
                uncounted.set(field, kept);
            }
        }
        if (countedFailure) {
            lastFailure.put(job.path("metadata").path("uid").asText(), clock.instant());
        }
        Instant now = clock.instant();
        JsonNode spec = job.path("spec");
        if (finished(status)) {
            return writeStatus(job, status);
        }
        List<Future<Void>> writes = new ArrayList<>();
        // a failure decided earlier: the pods go, then the Job is Failed
        JsonNode failureTarget = condition(status, "FailureTarget");
        if (failureTarget != null) {
            writes.addAll(deletePods(job, active));
            if (withFinalizer.isEmpty() && !uncounted.has("failed") && !uncounted.has("succeeded")) {
                setCondition(
                        status,
                        "Failed",
                        failureTarget.path("reason").asText(),
                        failureTarget.path("message").asText(),
                        now);
            }
            status.remove("active");
            return Future.all(writes).compose(v -> writeStatus(job, status));
        }
        boolean suspended = spec.path("suspend").asBoolean();
        Integer completions =
                spec.hasNonNull("completions") ? spec.get("completions").asInt() : null;
        int succeeded = status.path("succeeded").asInt();
        if (completions != null && succeeded >= completions || completions == null && succeeded > 0) {
            setCondition(
                    status,
                    "SuccessCriteriaMet",
                    "CompletionsReached",
                    "Reached expected number of succeeded pods",
                    now);
            setCondition(status, "Complete", "CompletionsReached", "Reached expected number of succeeded pods", now);
            status.put("completionTime", time(now));
            writes.addAll(deletePods(job, active));
            status.remove("active");
            return Future.all(writes).compose(v -> writeStatus(job, status));
        }
        if (status.path("failed").asInt() > spec.path("backoffLimit").asInt(6)) {
            return fail(
                    job, status, active, "BackoffLimitExceeded", "Job has reached the specified backoff limit", now);
        }
        if (suspended) {
            JsonNode c = condition(status, "Suspended");
            if (c == null || !"True".equals(c.path("status").asText())) {
                setCondition(status, "Suspended", "JobSuspended", "Job suspended", now);
                writes.add(events.event(job, "batch/v1", EventRecorder.NORMAL, "Suspended", "Job suspended"));
            }
            writes.addAll(deletePods(job, active));
            status.remove("active");
            status.put("ready", 0).put("terminating", 0);
            return Future.all(writes).compose(v -> writeStatus(job, status));
        }
        JsonNode wasSuspended = condition(status, "Suspended");
        if (wasSuspended != null && "True".equals(wasSuspended.path("status").asText())) {
            setConditionStatus(status, "Suspended", "False", "JobResumed", "Job resumed", now);
            writes.add(events.event(job, "batch/v1", EventRecorder.NORMAL, "Resumed", "Job resumed"));
            // resuming restarts the activeDeadlineSeconds timer
            status.put("startTime", time(now));
        }
        if (!status.hasNonNull("startTime")) {
            status.put("startTime", time(now));
        }
        if (spec.hasNonNull("activeDeadlineSeconds")) {
            Instant start = Instant.parse(status.path("startTime").asText());
            Instant deadline =
                    start.plusSeconds(spec.get("activeDeadlineSeconds").asLong());
            if (!now.isBefore(deadline)) {
                return Future.all(writes)
                        .compose(v -> fail(job, status, active, "DeadlineExceeded", DEADLINE_MESSAGE, now));
            }
            enqueueAfter(key(job), Duration.between(now, deadline).toMillis() + 1);
        }
        int parallelism = spec.path("parallelism").asInt(1);
        int wantActive = completions == null ? parallelism : Math.min(parallelism, completions - succeeded);
        int missing = wantActive - active.size();
        List<ObjectNode> created = new ArrayList<>();
        Future<Void> managed = Future.all(writes).mapEmpty();
        if (missing > 0) {
            Duration wait = backoffLeft(job, status, now);
            if (!wait.isZero()) {
                enqueueAfter(key(job), wait.toMillis() + 1);
            } else {
                for (ObjectNode pod : newPods(job, active, missing, completions)) {
                    managed = managed.compose(v -> createPod(job, pod).map(p -> {
                        created.add(p);
                        return null;
                    }));
                }
            }
        } else if (missing < 0) {
            List<ObjectNode> excess = new ArrayList<>(active);
            excess.sort((a, b) -> b.path("metadata")
                    .path("creationTimestamp")
                    .asText()
                    .compareTo(a.path("metadata").path("creationTimestamp").asText()));
            List<ObjectNode> extra = excess.subList(0, -missing);
            managed = managed.compose(v -> Future.all(deletePods(job, extra)).mapEmpty());
            active.removeAll(new ArrayList<>(extra));
        }
        return managed.compose(v -> {
            int count = active.size() + created.size();
            if (count > 0) {
                status.put("active", count);
            } else {
                status.remove("active");
            }
            status.put(
                    "ready", (int) active.stream().filter(PodTemplates::isReady).count());
            status.put("terminating", 0);
            return writeStatus(job, status);
        });
    }

    /** The pod failure backoff (getRemainingTime from the backoff record): none before the first failure. */
    private Duration backoffLeft(ObjectNode job, ObjectNode status, Instant now) {
        int failed = status.path("failed").asInt();
        Instant last = lastFailure.get(job.path("metadata").path("uid").asText());
        if (failed == 0 || last == null) {
            return Duration.ZERO;
        }
        Duration backoff = BACKOFF.multipliedBy(1L << Math.min(failed - 1, 10));
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
            backoff = MAX_BACKOFF;
        }
        Duration left = Duration.between(now, last.plus(backoff));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The FailureTarget condition and its Warning event; the next syncs delete the pods and mark the Job Failed. */
    private Future<Void> fail(
            ObjectNode job, ObjectNode status, List<ObjectNode> active, String reason, String message, Instant now) {
        setCondition(status, "FailureTarget", reason, message, now);
        List<Future<Void>> writes = new ArrayList<>(deletePods(job, active));
        writes.add(events.event(job, "batch/v1", EventRecorder.WARNING, reason, message));
        return Future.all(writes).compose(v -> writeStatus(job, status));
    }

    /** The pods to create: in Indexed mode the lowest indexes neither succeeded nor active. */
    private List<ObjectNode> newPods(ObjectNode job, List<ObjectNode> active, int count, Integer completions) {
        String name = job.path("metadata").path("name").asText();
        boolean indexed =
                "Indexed".equals(job.path("spec").path("completionMode").asText());
        List<ObjectNode> out = new ArrayList<>();
        if (!indexed) {
            for (int i = 0; i < count; i++) {
                out.add(podFromTemplate(job, name + "-", null));
            }
            return out;
        }
        Set<Integer> taken = new TreeSet<>();
        for (ObjectNode pod : active) {
            String index =
                    pod.path("metadata").path("annotations").path(INDEX_KEY).asText("");
            if (!index.isEmpty()) {
                taken.add(Integer.parseInt(index));
            }
        }
        String completed = job.path("status").path("completedIndexes").asText("");
        for (String range : completed.isEmpty() ? new String[0] : completed.split(",")) {
            String[] ends = range.split("-");
            for (int i = Integer.parseInt(ends[0]); i <= Integer.parseInt(ends[ends.length - 1]); i++) {
                taken.add(i);
            }
        }
        for (int i = 0; i < completions && out.size() < count; i++) {
            if (!taken.contains(i)) {
                out.add(podFromTemplate(job, name + "-" + i + "-", i));
            }
        }
        return out;
    }

    /** controller.GetPodFromTemplate plus the Job's additions (finalizer, completion index, hostname). */
    private static ObjectNode podFromTemplate(ObjectNode job, String generateName, Integer index) {
        JsonNode template = job.path("spec").path("template");
        ObjectNode pod = PodTemplates.pod(template, generateName, PodTemplates.controllerRef("batch/v1", "Job", job));
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        meta.withArray("finalizers").add(TRACKING_FINALIZER);
        ObjectNode jobMeta = (ObjectNode) job.get("metadata");
        ObjectNode spec = (ObjectNode) pod.get("spec");
        if (index != null) {
            meta.with("annotations").put(INDEX_KEY, String.valueOf(index));
            meta.with("labels").put(INDEX_KEY, String.valueOf(index));
            if (!spec.hasNonNull("hostname")) {
                spec.put("hostname", jobMeta.path("name").asText() + "-" + index);
            }
            // addCompletionIndexEnvVariables: every container and init container reads its index
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

    private List<Future<Void>> deletePods(ObjectNode job, List<ObjectNode> victims) {
        List<Future<Void>> out = new ArrayList<>();
        for (ObjectNode pod : victims) {
            String name = pod.path("metadata").path("name").asText();
            out.add(new Deleter(registry)
                    .delete(
                            pods(),
                            pod.path("metadata").path("namespace").asText(),
                            name,
                            Deleter.Options.defaults(),
                            identity)
                    .compose(r -> events.event(
                            job, "batch/v1", EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + name))
                    .recover(
                            e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e)));
        }
        return out;
    }

    private Future<Void> removeFinalizer(ObjectNode pod) {
        String namespace = pod.path("metadata").path("namespace").asText();
        String name = pod.path("metadata").path("name").asText();
        return registry.get(pods(), namespace, name)
                .compose(latest -> {
                    ObjectNode meta = (ObjectNode) latest.get("metadata");
                    if (!meta.path("uid")
                                    .asText()
                                    .equals(pod.path("metadata").path("uid").asText())
                            || !hasFinalizer(latest)) {
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

    /** Writes the status when it changed; a conflict is retried by the queue (the watch brings the newer Job). */
    private Future<Void> writeStatus(ObjectNode job, ObjectNode status) {
        if (status.equals(job.path("status"))) {
            return Future.succeededFuture();
        }
        ObjectNode updated = job.deepCopy();
        updated.set("status", status);
        String namespace = job.path("metadata").path("namespace").asText();
        return registry.update(
                        jobs(),
                        namespace,
                        job.path("metadata").path("name").asText(),
                        updated,
                        "status",
                        identity,
                        false)
                .<Void>mapEmpty()
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private static boolean hasFinalizer(ObjectNode pod) {
        for (JsonNode f : pod.path("metadata").path("finalizers")) {
            if (TRACKING_FINALIZER.equals(f.asText())) {
                return true;
            }
        }
        return false;
    }

    /** A pod that ended, or is being deleted: the controller counts it (a deleted Pending pod as failed). */
    private static boolean terminated(ObjectNode pod) {
        String phase = pod.path("status").path("phase").asText();
        return "Succeeded".equals(phase)
                || "Failed".equals(phase)
                || pod.path("metadata").has("deletionTimestamp");
    }

    private static boolean finished(ObjectNode status) {
        for (String type : List.of("Complete", "Failed")) {
            JsonNode c = condition(status, type);
            if (c != null && "True".equals(c.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode condition(ObjectNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    private static void setCondition(ObjectNode status, String type, String reason, String message, Instant now) {
        setConditionStatus(status, type, "True", reason, message, now);
    }

    /** Adds or replaces a condition; both times are now (the controller's newCondition). */
    private static void setConditionStatus(
            ObjectNode status, String type, String value, String reason, String message, Instant now) {
        ArrayNode conditions = status.withArray("conditions");
        ObjectNode c = null;
        for (JsonNode existing : conditions) {
            if (type.equals(existing.path("type").asText())) {
                c = (ObjectNode) existing;
            }
        }
        if (c == null) {
            c = conditions.addObject();
        }
        c.put("type", type)
                .put("status", value)
                .put("lastProbeTime", time(now))
                .put("lastTransitionTime", time(now))
                .put("reason", reason)
                .put("message", message);
    }

    /** RFC 3339 seconds, as metav1.Time marshals. */
    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
