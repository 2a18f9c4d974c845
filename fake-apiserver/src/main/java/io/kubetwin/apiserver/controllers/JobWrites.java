package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.Deleter;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;

/**
 * The Job controller's writes (its pod control, the tracking finalizer's removal and the status update of
 * pkg/controller/job/job_controller.go), as the controller's ServiceAccount, with the SuccessfulCreate and
 * SuccessfulDelete events. A pod already gone counts as deleted and released.
 */
final class JobWrites {
    private final GenericRegistry registry;
    private final UserInfo identity;
    final EventRecorder events;

    JobWrites(GenericRegistry registry, UserInfo identity, EventRecorder events) {
        this.registry = registry;
        this.identity = identity;
        this.events = events;
    }

    ServedResource jobs() {
        return registry.catalog().lookup("batch", "v1", "jobs").orElseThrow();
    }

    private ServedResource pods() {
        return registry.catalog().lookup("", "v1", "pods").orElseThrow();
    }

    /** A Normal or Warning event about the Job (a stored Job may lack its apiVersion). */
    Future<Void> event(ObjectNode job, String type, String reason, String message) {
        return events.event(job, "batch/v1", type, reason, message);
    }

    Future<ObjectNode> createPod(ObjectNode job, ObjectNode pod) {
        return registry.create(pods(), PodTemplates.namespace(job), pod, identity, false)
                .compose(created -> event(
                                job,
                                EventRecorder.NORMAL,
                                "SuccessfulCreate",
                                "Created pod: " + PodTemplates.name(created))
                        .map(created));
    }

    Future<Void> deletePod(ObjectNode job, ObjectNode pod) {
        String name = PodTemplates.name(pod);
        return new Deleter(registry)
                .delete(pods(), PodTemplates.namespace(pod), name, Deleter.Options.defaults(), identity)
                .compose(r -> event(job, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + name))
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** The pod as stored now, without the tracking finalizer (nothing when it is another pod or has none). */
    Future<Void> removeFinalizer(ObjectNode pod) {
        String namespace = PodTemplates.namespace(pod);
        String name = PodTemplates.name(pod);
        return registry.get(pods(), namespace, name)
                .compose(latest -> {
                    ObjectNode meta = (ObjectNode) latest.get("metadata");
                    if (!meta.path("uid").asText().equals(PodTemplates.uid(pod)) || !JobPods.hasFinalizer(latest)) {
                        return Future.<Void>succeededFuture();
                    }
                    ArrayNode kept = meta.arrayNode();
                    meta.path("finalizers").forEach(f -> {
                        if (!JobPods.TRACKING_FINALIZER.equals(f.asText())) {
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
    Future<ObjectNode> writeStatus(ObjectNode job, ObjectNode status) {
        if (status.equals(job.path("status"))) {
            return Future.succeededFuture(job);
        }
        ObjectNode updated = job.deepCopy();
        updated.set("status", status.deepCopy());
        return registry.update(
                        jobs(), PodTemplates.namespace(job), PodTemplates.name(job), updated, "status", identity, false)
                .map(written -> (ObjectNode) written);
    }
}
