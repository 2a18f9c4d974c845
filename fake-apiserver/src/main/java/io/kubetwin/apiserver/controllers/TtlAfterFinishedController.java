package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;

/**
 * The TTL-after-finished controller (pkg/controller/ttlafterfinished/ttlafterfinished_controller.go): a finished Job
 * (a true Complete or Failed condition) with {@code spec.ttlSecondsAfterFinished} is deleted once that many seconds
 * have passed since the condition's lastTransitionTime, read again just before, with propagation Foreground and the
 * Job's UID as precondition; until then the controller looks again when the time is up. A Job being deleted is left
 * alone.
 */
final class TtlAfterFinishedController extends QueueController {
    static final String NAME = "ttl-after-finished-controller";
    private static final ResourceKey JOBS = new ResourceKey("batch", "jobs");

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final Clock clock;

    TtlAfterFinishedController(Vertx vertx, GenericRegistry registry, Clock clock) {
        super(vertx, registry, NAME);
        this.clock = clock;
    }

    @Override
    protected List<Source> sources() {
        return List.of(new Source(
                JOBS,
                (type, job) -> type != WatchEvent.Type.DELETED
                                && !job.path("metadata").has("deletionTimestamp")
                                && needsCleanup(job)
                        ? List.of(PodTemplates.key(job))
                        : List.of()));
    }

    private ServedResource jobs() {
        return registry.catalog().lookup("batch", "v1", "jobs").orElseThrow();
    }

    @Override
    protected Future<Void> sync(String key) {
        String namespace = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        return registry.get(jobs(), namespace, name)
                .compose(job -> {
                    if (!expired(key, job)) {
                        return Future.<Void>succeededFuture();
                    }
                    // the cache's copy expired: the Job is read again before it goes
                    return registry.get(jobs(), namespace, name).compose(fresh -> {
                        if (!expired(key, fresh)) {
                            return Future.<Void>succeededFuture();
                        }
                        Deleter.Options options = Deleter.Options.propagation("Foreground")
                                .withPreconditionUid(
                                        fresh.path("metadata").path("uid").asText());
                        return new Deleter(registry)
                                .delete(jobs(), namespace, name, options, identity)
                                .<Void>mapEmpty();
                    });
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private static boolean needsCleanup(JsonNode job) {
        return job.path("spec").hasNonNull("ttlSecondsAfterFinished")
                && JobConditions.finished(job.path("status")) != null;
    }

    /** processTTL: whether the TTL ran out; if not, the key comes back when it does. */
    private boolean expired(String key, ObjectNode job) {
        if (job.path("metadata").has("deletionTimestamp") || !needsCleanup(job)) {
            return false;
        }
        String finishedAt = JobConditions.finished(job.path("status"))
                .path("lastTransitionTime")
                .asText("");
        if (finishedAt.isEmpty()) {
            return false;
        }
        Instant expireAt = Instant.parse(finishedAt)
                .plusSeconds(job.path("spec").get("ttlSecondsAfterFinished").asLong());
        Duration left = Duration.between(clock.instant(), expireAt);
        if (left.isNegative() || left.isZero()) {
            return true;
        }
        enqueueAfter(key, left.toMillis() + 1);
        return false;
    }
}
