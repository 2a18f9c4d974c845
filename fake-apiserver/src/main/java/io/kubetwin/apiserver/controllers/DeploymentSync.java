package io.kubetwin.apiserver.controllers;

import static io.kubetwin.apiserver.controllers.DeploymentUtil.HASH_LABEL;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.REVISION;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.annotation;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.hasProgressDeadline;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.newCondition;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.replicas;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.setCondition;
import static io.kubetwin.apiserver.controllers.DeploymentWrites.statusOf;
import static io.kubetwin.apiserver.controllers.DeploymentWrites.typed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.Deleter;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * What every Deployment strategy shares (pkg/controller/deployment/sync.go): the paused conditions, the scaling
 * event and its proportional scale, getAllReplicaSetsAndSyncRevision (the new ReplicaSet found and its annotations
 * synced, or created as {@code <deployment>-<pod-template-hash>}, a hash collision raising collisionCount),
 * scaleReplicaSet with its ScalingReplicaSet event, and the clean-up of old ReplicaSets past revisionHistoryLimit.
 */
final class DeploymentSync {
    private final DeploymentWrites writes;
    private final DeploymentProgress progress;

    DeploymentSync(DeploymentWrites writes, DeploymentProgress progress) {
        this.writes = writes;
        this.progress = progress;
    }

    /** A ReplicaSet after scaleReplicaSet, and whether its size changed. */
    record Scaled(boolean scaled, ObjectNode rs) {}

    /** The new ReplicaSet, and whether its create found it made already (by an earlier sync). */
    private record Created(ObjectNode rs, boolean alreadyExists) {}

    static boolean paused(JsonNode d) {
        return d.path("spec").path("paused").asBoolean(false);
    }

    /** checkPausedConditions: Progressing Unknown with DeploymentPaused or DeploymentResumed as spec.paused changes. */
    Future<Void> checkPausedConditions(DeploymentState s) {
        if (!hasProgressDeadline(s.d)) {
            return Future.succeededFuture();
        }
        JsonNode cond = DeploymentUtil.condition(s.d.path("status"), "Progressing");
        if (cond != null && cond.path("reason").asText().equals(DeploymentUtil.TIMED_OUT)) {
            return Future.succeededFuture();
        }
        boolean pausedCondExists = cond != null && cond.path("reason").asText().equals(DeploymentUtil.PAUSED);
        ObjectNode d = s.d.deepCopy();
        if (paused(d) && !pausedCondExists) {
            setProgressing(d, "Unknown", DeploymentUtil.PAUSED, "Deployment is paused");
        } else if (!paused(d) && pausedCondExists) {
            setProgressing(d, "Unknown", DeploymentUtil.RESUMED, "Deployment is resumed");
        } else {
            return Future.succeededFuture();
        }
        return writes.updateStatus(s, d);
    }

    /** Sets the Progressing condition on {@code d}, a copy of the sync's Deployment. */
    private void setProgressing(ObjectNode d, String status, String reason, String message) {
        setCondition(statusOf(d), newCondition("Progressing", status, reason, message, writes.now()));
    }

    /** sync: on a scaling event or while paused, scale (proportionally) and clean up, never roll out. */
    Future<Void> syncScale(DeploymentState s) {
        return syncRevision(s, false)
                .compose(v -> scale(s))
                .compose(v -> paused(s.d) && DeploymentRollback.rollbackTo(s.d) == null
                        ? cleanupDeployment(s, new ArrayList<>(s.oldRSs))
                        : Future.succeededFuture())
                .compose(v -> progress.syncDeploymentStatus(s));
    }

    /** isScalingEvent: an active ReplicaSet's desired-replicas annotation is not the Deployment's replicas. */
    Future<Boolean> isScalingEvent(DeploymentState s) {
        return syncRevision(s, false).map(v -> {
            for (ObjectNode rs : DeploymentUtil.active(s.all())) {
                Integer desired = DeploymentUtil.nonNegativeAnnotation(rs, DeploymentUtil.DESIRED);
                if (desired != null && desired != replicas(s.d)) {
                    return true;
                }
            }
            return false;
        });
    }

    // ---- getAllReplicaSetsAndSyncRevision and getNewReplicaSet

    Future<Void> syncRevision(DeploymentState s, boolean createIfNotExisted) {
        ObjectNode existing = DeploymentUtil.findNewReplicaSet(s.d, s.rsList);
        s.newRs = existing;
        s.oldRSs = new ArrayList<>(s.rsList.stream()
                .filter(rs -> existing == null || !PodTemplates.uid(rs).equals(PodTemplates.uid(existing)))
                .toList());
        String newRevision = Long.toString(DeploymentUtil.maxRevision(s.oldRSs) + 1);
        if (existing != null) {
            ObjectNode copy = existing.deepCopy();
            boolean annotationsUpdated = DeploymentUtil.setNewReplicaSetAnnotations(s.d, copy, newRevision, true);
            int minReady = s.d.path("spec").path("minReadySeconds").asInt();
            if (annotationsUpdated || copy.path("spec").path("minReadySeconds").asInt() != minReady) {
                setMinReadySeconds(copy, minReady);
                return writes.updateReplicaSet(s, copy).mapEmpty();
            }
            ObjectNode d = s.d.deepCopy();
            String rev = annotation(copy, REVISION);
            boolean needsUpdate = DeploymentUtil.setDeploymentRevision(d, rev == null ? "" : rev);
            if (hasProgressDeadline(d) && DeploymentUtil.condition(d.path("status"), "Progressing") == null) {
                setProgressing(
                        d,
                        "True",
                        DeploymentUtil.FOUND_NEW_RS,
                        "Found new replica set \"" + PodTemplates.name(copy) + "\"");
                needsUpdate = true;
            }
            return needsUpdate ? writes.updateStatus(s, d) : Future.succeededFuture();
        }
        return createIfNotExisted ? createNewReplicaSet(s, newRevision) : Future.succeededFuture();
    }

    private static void setMinReadySeconds(ObjectNode rs, int minReady) {
        ObjectNode spec = (ObjectNode) rs.get("spec");
        if (minReady == 0) {
            spec.remove("minReadySeconds");
        } else {
            spec.put("minReadySeconds", minReady);
        }
    }

    private Future<Void> createNewReplicaSet(DeploymentState s, String newRevision) {
        ObjectNode d = s.d;
        Integer collisionCount = d.path("status").path("collisionCount").isNumber()
                ? d.path("status").path("collisionCount").asInt()
                : null;
        String hash = GoDeepHash.podTemplateHash(d.path("spec").path("template"), collisionCount);
        ObjectNode template = d.path("spec").path("template").deepCopy();
        ObjectNode tmeta =
                template.has("metadata") ? (ObjectNode) template.get("metadata") : template.putObject("metadata");
        ObjectNode labels = tmeta.get("labels") instanceof ObjectNode l ? l : tmeta.putObject("labels");
        labels.put(HASH_LABEL, hash);
        ObjectNode selector = d.path("spec").path("selector").deepCopy();
        ObjectNode matchLabels =
                selector.get("matchLabels") instanceof ObjectNode m ? m : selector.putObject("matchLabels");
        matchLabels.put(HASH_LABEL, hash);
        ObjectNode rs = typed(JsonNodeFactory.instance.objectNode(), "ReplicaSet");
        ObjectNode meta = rs.putObject("metadata");
        String rsName = DeploymentController.replicaSetName(PodTemplates.name(d), hash);
        meta.put("name", rsName);
        meta.put("namespace", PodTemplates.namespace(d));
        meta.set("labels", labels.deepCopy());
        meta.putArray("ownerReferences").add(PodTemplates.controllerRef(d));
        ObjectNode spec = rs.putObject("spec");
        spec.put("replicas", 0);
        setMinReadySeconds(rs, d.path("spec").path("minReadySeconds").asInt());
        spec.set("selector", selector);
        spec.set("template", template);
        List<ObjectNode> withNew = new ArrayList<>(s.oldRSs);
        withNew.add(rs);
        int replicas = DeploymentUtil.newRSNewReplicas(d, withNew, rs);
        spec.put("replicas", replicas);
        DeploymentUtil.setNewReplicaSetAnnotations(d, rs, newRevision, false);
        return writes.registry
                .create(writes.replicaSets(), PodTemplates.namespace(d), rs, writes.identity, false)
                .map(created -> new Created(typed(created, "ReplicaSet"), false))
                .recover(e -> {
                    if (ControllerIdentity.isAlreadyExists(e)) {
                        return existingNewReplicaSet(s, rsName, e);
                    }
                    if (ControllerIdentity.isNamespaceTerminating(e)) {
                        return Future.failedFuture(e);
                    }
                    String msg = "Failed to create new replica set \"" + rsName + "\": " + e.getMessage();
                    Future<Void> cond = Future.succeededFuture();
                    if (hasProgressDeadline(s.d)) {
                        ObjectNode copy = s.d.deepCopy();
                        setProgressing(copy, "False", DeploymentUtil.FAILED_RS_CREATE, msg);
                        cond = writes.updateStatus(s, copy).recover(x -> Future.succeededFuture());
                    }
                    return cond.compose(v -> writes.events.event(
                                    s.d, EventRecorder.WARNING, DeploymentUtil.FAILED_RS_CREATE, msg))
                            .compose(v -> Future.<Created>failedFuture(e));
                })
                .compose(created -> {
                    boolean alreadyExists = created.alreadyExists();
                    ObjectNode newRs = created.rs();
                    s.rsList.add(newRs);
                    s.newRs = newRs;
                    Future<Void> event = !alreadyExists && replicas > 0
                            ? writes.events.event(
                                    s.d,
                                    EventRecorder.NORMAL,
                                    "ScalingReplicaSet",
                                    "Scaled up replica set " + PodTemplates.name(newRs) + " from 0 to " + replicas)
                            : Future.succeededFuture();
                    return event.compose(v -> {
                        ObjectNode copy = s.d.deepCopy();
                        boolean needsUpdate = DeploymentUtil.setDeploymentRevision(copy, newRevision);
                        if (!alreadyExists && hasProgressDeadline(copy)) {
                            setProgressing(
                                    copy,
                                    "True",
                                    DeploymentUtil.NEW_REPLICA_SET,
                                    "Created new replica set \"" + PodTemplates.name(newRs) + "\"");
                            needsUpdate = true;
                        }
                        return needsUpdate ? writes.updateStatus(s, copy) : Future.succeededFuture();
                    });
                });
    }

    /** The name is taken: the Deployment's own ReplicaSet of this template, or a hash collision (collisionCount + 1). */
    private Future<Created> existingNewReplicaSet(DeploymentState s, String rsName, Throwable createError) {
        return writes.registry
                .get(writes.replicaSets(), PodTemplates.namespace(s.d), rsName)
                .compose(rs -> {
                    JsonNode ref = PodTemplates.controllerOf(rs);
                    if (ref != null
                            && ref.path("uid").asText().equals(PodTemplates.uid(s.d))
                            && DeploymentUtil.equalIgnoreHash(
                                    s.d.path("spec").path("template"),
                                    rs.path("spec").path("template"))) {
                        return Future.succeededFuture(new Created(typed(rs, "ReplicaSet"), true));
                    }
                    ObjectNode copy = s.d.deepCopy();
                    ObjectNode status = statusOf(copy);
                    status.put("collisionCount", status.path("collisionCount").asInt(0) + 1);
                    return writes.updateStatus(s, copy).compose(v -> Future.<Created>failedFuture(createError));
                });
    }

    // ---- scaling

    /** scale: the sizes {@link DeploymentUtil#scaleSizes} gives, written one ReplicaSet after the other. */
    private Future<Void> scale(DeploymentState s) {
        return InOrder.each(
                DeploymentUtil.scaleSizes(s.d, s.newRs, s.oldRSs),
                r -> r.evenIfSameSize()
                        ? scaleReplicaSet(s, r.rs(), r.size())
                        : scaleReplicaSetAndRecordEvent(s, r.rs(), r.size()));
    }

    Future<Scaled> scaleReplicaSetAndRecordEvent(DeploymentState s, ObjectNode rs, int newScale) {
        if (replicas(rs) == newScale) {
            return Future.succeededFuture(new Scaled(false, rs));
        }
        return scaleReplicaSet(s, rs, newScale);
    }

    /** scaleReplicaSet: the size and the desired/max annotations, with a ScalingReplicaSet event when the size changes. */
    private Future<Scaled> scaleReplicaSet(DeploymentState s, ObjectNode rs, int newScale) {
        boolean sizeNeedsUpdate = replicas(rs) != newScale;
        int desired = replicas(s.d);
        int max = desired + DeploymentUtil.maxSurge(s.d);
        if (!sizeNeedsUpdate && !DeploymentUtil.replicasAnnotationsNeedUpdate(rs, desired, max)) {
            return Future.succeededFuture(new Scaled(false, rs));
        }
        int oldScale = replicas(rs);
        ObjectNode copy = rs.deepCopy();
        ((ObjectNode) copy.get("spec")).put("replicas", newScale);
        DeploymentUtil.setReplicasAnnotations(copy, desired, max);
        return writes.updateReplicaSet(s, copy).compose(written -> {
            if (!sizeNeedsUpdate) {
                return Future.succeededFuture(new Scaled(false, written));
            }
            return writes.events
                    .event(
                            s.d,
                            EventRecorder.NORMAL,
                            "ScalingReplicaSet",
                            "Scaled " + (oldScale < newScale ? "up" : "down") + " replica set "
                                    + PodTemplates.name(written) + " from " + oldScale + " to " + newScale)
                    .map(v -> new Scaled(true, written));
        });
    }

    /** cleanupDeployment: old ReplicaSets beyond revisionHistoryLimit, lowest revisions first, if empty and observed. */
    Future<Void> cleanupDeployment(DeploymentState s, List<ObjectNode> oldRSs) {
        if (!DeploymentUtil.hasRevisionHistoryLimit(s.d)) {
            return Future.succeededFuture();
        }
        List<ObjectNode> cleanable = new ArrayList<>(oldRSs.stream()
                .filter(rs -> rs != null && !rs.path("metadata").has("deletionTimestamp"))
                .toList());
        int diff =
                cleanable.size() - s.d.path("spec").path("revisionHistoryLimit").asInt();
        if (diff <= 0) {
            return Future.succeededFuture();
        }
        cleanable.sort(DeploymentUtil.BY_REVISION);
        return InOrder.each(cleanable.subList(0, diff), rs -> {
            if (DeploymentUtil.status(rs, "replicas") != 0
                    || replicas(rs) != 0
                    || rs.path("metadata").path("generation").asLong()
                            > rs.path("status").path("observedGeneration").asLong()
                    || rs.path("metadata").has("deletionTimestamp")) {
                return Future.succeededFuture();
            }
            return new Deleter(writes.registry)
                    .delete(
                            writes.replicaSets(),
                            PodTemplates.namespace(rs),
                            PodTemplates.name(rs),
                            Deleter.Options.defaults(),
                            writes.identity)
                    .<Void>mapEmpty()
                    .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
        });
    }

    /** The rollout ends once it is complete: the old ReplicaSets past the history limit go. */
    Future<Void> cleanupIfComplete(DeploymentState s) {
        return DeploymentUtil.deploymentComplete(s.d, s.d.path("status"))
                ? cleanupDeployment(s, new ArrayList<>(s.oldRSs))
                : Future.succeededFuture();
    }
}
