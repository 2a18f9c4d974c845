package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.StatusException;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go and utils.go): at each scheduled time of
 * {@code spec.schedule} ({@link CronSchedule}, in {@code spec.timeZone} or UTC) after the last one (or the CronJob's
 * creation, or {@code now - startingDeadlineSeconds}), creates the Job {@code <cronjob>-<scheduled minutes since the
 * epoch>} from the jobTemplate with the {@value #SCHEDULED_ANNOTATION} annotation and a controller reference, and
 * records it in {@code status.active} and {@code lastScheduleTime}; honours {@code suspend}, a missed
 * {@code startingDeadlineSeconds}, {@code concurrencyPolicy} Forbid and Replace, and the history limits; removes
 * finished Jobs from {@code active} ({@code lastSuccessfulTime}); warns about a Job it did not create
 * ({@code UnexpectedJob}, e.g. {@code kubectl create job --from=cronjob/...}). Times come from the control plane's
 * {@link Clock}; the controller looks again just after the next scheduled time.
 */
final class CronJobController extends QueueController {
    static final String NAME = "cronjob-controller";
    static final String SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private static final ResourceKey CRONJOBS = new ResourceKey("batch", "cronjobs");
    private static final ResourceKey JOBS = new ResourceKey("batch", "jobs");
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);
    private static final DateTimeFormatter RFC1123Z =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final Clock clock;
    private final EventRecorder events;
    /** Jobs already reported as unexpected: the recorder would aggregate the repeats into one Event's count. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** The next time each CronJob is already queued for, so that a sync does not add another timer for it. */
    private final Map<String, Instant> requeued = new ConcurrentHashMap<>();

    CronJobController(Vertx vertx, GenericRegistry registry, Clock clock) {
        super(vertx, registry, NAME);
        this.clock = clock;
        this.events = new EventRecorder(registry, NAME, identity, clock);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(
                        CRONJOBS,
                        (type, cj) -> type == WatchEvent.Type.DELETED ? List.of() : List.of(PodTemplates.key(cj))),
                new Source(JOBS, (type, job) -> PodTemplates.controllerKey(job, "CronJob")));
    }

    private ServedResource served(String resource) {
        return registry.catalog().lookup("batch", "v1", resource).orElseThrow();
    }

    @Override
    protected Future<Void> sync(String key) {
        String namespace = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        return registry.get(served("cronjobs"), namespace, name)
                .compose(cj -> registry.storage()
                        .list(JOBS, namespace)
                        .compose(
                                jobs -> syncCronJob(cj, PodTemplates.controlledBy(jobs.items(), PodTemplates.uid(cj)))))
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private Future<Void> syncCronJob(ObjectNode cj, List<ObjectNode> jobs) {
        ObjectNode status = cj.path("status").isObject() ? ((ObjectNode) cj.get("status")).deepCopy() : cj.objectNode();
        List<Future<Void>> work = new ArrayList<>();
        Set<String> children = new HashSet<>();
        for (ObjectNode job : jobs) {
            String uid = job.path("metadata").path("uid").asText();
            String jobName = job.path("metadata").path("name").asText();
            children.add(uid);
            boolean listed = inActive(status, uid);
            String finished = JobConditions.finishedType(job.path("status"));
            if (!listed && finished == null) {
                if (!"".equals(job.path("metadata").path("deletionTimestamp").asText(""))) {
                    continue;
                }
                if (!reported.add(uid)) {
                    continue;
                }
                work.add(events.event(
                        cj,
                        "batch/v1",
                        EventRecorder.WARNING,
                        "UnexpectedJob",
                        "Saw a job that the controller did not create or forgot: " + jobName));
            } else if (listed && finished != null) {
                removeActive(status, uid);
                work.add(events.event(
                        cj,
                        "batch/v1",
                        EventRecorder.NORMAL,
                        "SawCompletedJob",
                        "Saw completed job: " + jobName + ", condition: " + finished));
                if ("Complete".equals(finished) && job.path("status").hasNonNull("completionTime")) {
                    String done = job.path("status").path("completionTime").asText();
                    if (status.path("lastSuccessfulTime").asText("").compareTo(done) < 0) {
                        status.put("lastSuccessfulTime", done);
                    }
                }
            }
        }
        // active entries whose Job is gone
        ArrayNode active = status.withArray("active");
        for (int i = active.size() - 1; i >= 0; i--) {
            if (!children.contains(active.get(i).path("uid").asText())) {
                active.remove(i);
            }
        }
        Future<Void> scheduled = Future.all(work).compose(v -> schedule(cj, status, jobs));
        return scheduled.compose(v -> cleanupHistory(cj, jobs)).compose(v -> {
            if (status.path("active").isEmpty()) {
                status.remove("active");
            }
            return writeStatus(cj, status);
        });
    }

    /** syncCronJob's scheduling half; requeues the key just after the next scheduled time. */
    private Future<Void> schedule(ObjectNode cj, ObjectNode status, List<ObjectNode> jobs) {
        JsonNode spec = cj.path("spec");
        if (cj.path("metadata").has("deletionTimestamp") || spec.path("suspend").asBoolean()) {
            return Future.succeededFuture();
        }
        CronSchedule schedule;
        try {
            String tz = spec.path("timeZone").asText("");
            schedule =
                    CronSchedule.parse(spec.path("schedule").asText(), tz.isEmpty() ? ZoneOffset.UTC : ZoneId.of(tz));
        } catch (RuntimeException e) {
            return events.event(
                    cj,
                    "batch/v1",
                    EventRecorder.WARNING,
                    "UnparseableSchedule",
                    "unparseable schedule: \"" + spec.path("schedule").asText() + "\" : " + e.getMessage());
        }
        Instant now = clock.instant();
        Instant earliest = Instant.parse(status.path("lastScheduleTime")
                .asText(cj.path("metadata").path("creationTimestamp").asText()));
        if (spec.hasNonNull("startingDeadlineSeconds")) {
            Instant deadline =
                    now.minusSeconds(spec.get("startingDeadlineSeconds").asLong());
            if (deadline.isAfter(earliest)) {
                earliest = deadline;
            }
        }
        Instant next = schedule.next(now);
        String key = PodTemplates.key(cj);
        if (next != null && !next.equals(requeued.put(key, next))) {
            enqueueAfter(key, Duration.between(now, next).toMillis() + 100);
        }
        Instant scheduled = null;
        for (Instant t = schedule.next(earliest); t != null && !t.isAfter(now); t = schedule.next(t)) {
            scheduled = t;
        }
        if (scheduled == null) {
            return Future.succeededFuture();
        }
        if (spec.hasNonNull("startingDeadlineSeconds")
                && scheduled
                        .plusSeconds(spec.get("startingDeadlineSeconds").asLong())
                        .isBefore(now)) {
            return events.event(
                    cj,
                    "batch/v1",
                    EventRecorder.WARNING,
                    "MissSchedule",
                    "Missed scheduled time to start a job: " + RFC1123Z.format(scheduled.atZone(ZoneOffset.UTC)));
        }
        String jobName = cj.path("metadata").path("name").asText() + "-" + scheduled.getEpochSecond() / 60;
        String scheduledText = scheduled.truncatedTo(ChronoUnit.SECONDS).toString();
        if (scheduledText.equals(status.path("lastScheduleTime").asText()) || activeNamed(status, jobName)) {
            return Future.succeededFuture();
        }
        String policy = spec.path("concurrencyPolicy").asText("Allow");
        if ("Forbid".equals(policy) && !status.path("active").isEmpty()) {
            return events.event(
                    cj,
                    "batch/v1",
                    EventRecorder.NORMAL,
                    "JobAlreadyActive",
                    "Not starting job because prior execution is running and concurrency policy is Forbid");
        }
        Future<Void> replaced = Future.succeededFuture();
        if ("Replace".equals(policy)) {
            for (JsonNode ref : status.path("active")) {
                String old = ref.path("name").asText();
                replaced = replaced.compose(v -> deleteJob(cj, old));
            }
            status.remove("active");
        }
        ObjectNode job = jobFromTemplate(cj, jobName, scheduled, schedule.zone());
        String namespace = cj.path("metadata").path("namespace").asText();
        final Instant at = scheduled;
        return replaced.compose(v -> registry.create(served("jobs"), namespace, job, identity, false))
                .compose(created -> {
                    ObjectNode ref = status.withArray("active").addObject();
                    ref.put("kind", "Job")
                            .put("namespace", namespace)
                            .put("name", jobName)
                            .put("uid", created.path("metadata").path("uid").asText())
                            .put("apiVersion", "batch/v1")
                            .put(
                                    "resourceVersion",
                                    created.path("metadata")
                                            .path("resourceVersion")
                                            .asText());
                    status.put("lastScheduleTime", at.toString());
                    return events.event(
                            cj, "batch/v1", EventRecorder.NORMAL, "SuccessfulCreate", "Created job " + jobName);
                })
                .recover(
                        e -> ControllerIdentity.isAlreadyExists(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** getJobFromTemplate2. */
    private static ObjectNode jobFromTemplate(ObjectNode cj, String name, Instant scheduled, ZoneId zone) {
        JsonNode template = cj.path("spec").path("jobTemplate");
        ObjectNode job = cj.objectNode();
        job.put("apiVersion", "batch/v1").put("kind", "Job");
        ObjectNode meta = job.putObject("metadata");
        meta.put("name", name);
        if (template.path("metadata").has("labels")) {
            meta.set("labels", template.path("metadata").get("labels").deepCopy());
        }
        ObjectNode annotations = template.path("metadata").has("annotations")
                ? template.path("metadata").get("annotations").deepCopy()
                : cj.objectNode();
        annotations.put(SCHEDULED_ANNOTATION, RFC3339.format(scheduled.atZone(zone)));
        meta.set("annotations", annotations);
        meta.putArray("ownerReferences")
                .addObject()
                .put("apiVersion", "batch/v1")
                .put("kind", "CronJob")
                .put("name", cj.path("metadata").path("name").asText())
                .put("uid", cj.path("metadata").path("uid").asText())
                .put("controller", true)
                .put("blockOwnerDeletion", true);
        job.set("spec", template.path("spec").deepCopy());
        return job;
    }

    /** cleanupFinishedJobs: the oldest finished Jobs beyond each history limit go. */
    private Future<Void> cleanupHistory(ObjectNode cj, List<ObjectNode> jobs) {
        JsonNode spec = cj.path("spec");
        if (!spec.hasNonNull("successfulJobsHistoryLimit") && !spec.hasNonNull("failedJobsHistoryLimit")) {
            return Future.succeededFuture();
        }
        Future<Void> work = Future.succeededFuture();
        for (String kind : List.of("Complete", "Failed")) {
            JsonNode limitNode =
                    spec.path("Complete".equals(kind) ? "successfulJobsHistoryLimit" : "failedJobsHistoryLimit");
            if (limitNode.isMissingNode() || limitNode.isNull()) {
                continue;
            }
            List<ObjectNode> finished = new ArrayList<>();
            for (ObjectNode job : jobs) {
                if (kind.equals(JobConditions.finishedType(job.path("status")))
                        && !job.path("metadata").has("deletionTimestamp")) {
                    finished.add(job);
                }
            }
            finished.sort(
                    Comparator.comparing(j -> j.path("status").path("startTime").asText("")));
            for (int i = 0; i < finished.size() - limitNode.asInt(); i++) {
                String name = finished.get(i).path("metadata").path("name").asText();
                work = work.compose(v -> deleteJob(cj, name));
            }
        }
        return work;
    }

    private Future<Void> deleteJob(ObjectNode cj, String name) {
        return new Deleter(registry)
                .delete(
                        served("jobs"),
                        cj.path("metadata").path("namespace").asText(),
                        name,
                        Deleter.Options.propagation("Background"),
                        identity)
                .compose(r ->
                        events.event(cj, "batch/v1", EventRecorder.NORMAL, "SuccessfulDelete", "Deleted job " + name))
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private Future<Void> writeStatus(ObjectNode cj, ObjectNode status) {
        if (status.equals(cj.path("status"))) {
            return Future.succeededFuture();
        }
        String namespace = cj.path("metadata").path("namespace").asText();
        String name = cj.path("metadata").path("name").asText();
        ObjectNode updated = cj.deepCopy();
        updated.set("status", status);
        return registry.update(served("cronjobs"), namespace, name, updated, "status", identity, false)
                .<Void>mapEmpty()
                // the Jobs just created are known only to this status: on a conflict it goes onto the latest CronJob
                // (the status is this controller's alone) rather than leaving them to look unexpected to a retry
                .recover(e -> e instanceof StatusException se && se.code() == 409
                        ? registry.get(served("cronjobs"), namespace, name).compose(latest -> {
                            latest.set("status", status);
                            return registry.update(
                                            served("cronjobs"), namespace, name, latest, "status", identity, false)
                                    .<Void>mapEmpty();
                        })
                        : Future.failedFuture(e))
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private static boolean inActive(ObjectNode status, String uid) {
        for (JsonNode ref : status.path("active")) {
            if (uid.equals(ref.path("uid").asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean activeNamed(ObjectNode status, String name) {
        for (JsonNode ref : status.path("active")) {
            if (name.equals(ref.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private static void removeActive(ObjectNode status, String uid) {
        ArrayNode active = status.withArray("active");
        for (int i = active.size() - 1; i >= 0; i--) {
            if (uid.equals(active.get(i).path("uid").asText())) {
                active.remove(i);
            }
        }
    }
}
