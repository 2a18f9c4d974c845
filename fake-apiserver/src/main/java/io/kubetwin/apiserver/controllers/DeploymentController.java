package io.kubetwin.apiserver.controllers;

import static io.kubetwin.apiserver.controllers.DeploymentUtil.REVISION;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.ROLLBACK_TO;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.annotation;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.hasProgressDeadline;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.newCondition;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.replicas;
import static io.kubetwin.apiserver.controllers.DeploymentUtil.setCondition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authz.rbac.LabelSelector;
import io.kubetwin.apiserver.registry.Deleter;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The deployment controller (pkg/controller/deployment v1.34.4: deployment_controller.go's syncDeployment, sync.go,
 * rolling.go, recreate.go, progress.go, rollback.go; the arithmetic in {@link DeploymentUtil}). Per Deployment: claims
 * the ReplicaSets of its namespace; a Deployment being deleted only gets its status; the Progressing condition
 * DeploymentPaused or DeploymentResumed follows spec.paused; a paused Deployment is only scaled (no new ReplicaSet)
 * and cleaned up; a {@code deprecated.deployment.rollback.to} annotation rolls the template back to that revision's
 * ReplicaSet; a scaling event (an active ReplicaSet's desired-replicas annotation is not spec.replicas) scales the
 * active ReplicaSets proportionally; otherwise RollingUpdate or Recreate. The new ReplicaSet is the oldest whose
 * template is the Deployment's ({@code kubectl rollout undo} reuses it, raising its revision and recording the one
 * it had in {@code deployment.kubernetes.io/revision-history}), or {@code <deployment>-<pod-template-hash>}
 * ({@link GoDeepHash}) made with the revision, desired-replicas and max-replicas annotations; old ReplicaSets without
 * replicas beyond revisionHistoryLimit are deleted once a rollout is complete or while paused; the status carries
 * the Available, Progressing and ReplicaFailure conditions with a ScalingReplicaSet event per scale.
 *
 * <p>Unlike upstream, each write's answer replaces the object the rest of the sync works on, so a sync never
 * conflicts with its own earlier write (upstream's retry after such a conflict ends in the same state).
 */
final class DeploymentController extends QueueController {
    static final String NAME = "deployment-controller";
    static final String HASH_LABEL = DeploymentUtil.HASH_LABEL;

    private static final ResourceKey DEPLOYMENTS = new ResourceKey("apps", "deployments");
    private static final ResourceKey REPLICA_SETS = new ResourceKey("apps", "replicasets");
    private static final ResourceKey PODS = new ResourceKey("", "pods");

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final EventRecorder events = new EventRecorder(registry, NAME, identity);
    private final ControllerRefs refs = new ControllerRefs(registry, identity);

    DeploymentController(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, NAME);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(DEPLOYMENTS, (type, d) -> type == WatchEvent.Type.DELETED ? List.of() : List.of(key(d))),
                new Source(REPLICA_SETS, (type, rs) -> {
                    JsonNode ref = PodTemplates.controllerOf(rs);
                    return ref != null && ref.path("kind").asText().equals("Deployment")
                            ? List.of(PodTemplates.namespace(rs) + "/"
                                    + ref.path("name").asText())
                            : List.of();
                }),
                // deletePod: a Recreate rollout waits for the old pods to be gone
                new Source(PODS, (type, pod) -> {
                    JsonNode ref = PodTemplates.controllerOf(pod);
                    String hash =
                            pod.path("metadata").path("labels").path(HASH_LABEL).asText("");
                    if (type != WatchEvent.Type.DELETED
                            || ref == null
                            || !ref.path("kind").asText().equals("ReplicaSet")
                            || hash.isEmpty()
                            || !ref.path("name").asText().endsWith("-" + hash)) {
                        return List.of();
                    }
                    String rs = ref.path("name").asText();
                    return List.of(
                            PodTemplates.namespace(pod) + "/" + rs.substring(0, rs.length() - hash.length() - 1));
                }));
    }

    private static String key(JsonNode d) {
        return PodTemplates.namespace(d) + "/" + PodTemplates.name(d);
    }

    private ServedResource deployments() {
        return registry.catalog().lookup("apps", "v1", "deployments").orElseThrow();
    }

    private ServedResource replicaSets() {
        return registry.catalog().lookup("apps", "v1", "replicasets").orElseThrow();
    }

    private Instant now() {
        return registry.clock().instant();
    }

    /** What one sync works on: the Deployment and its ReplicaSets, each replaced by the answer to its write. */
    private static final class State {
        ObjectNode d;
        final List<ObjectNode> rsList = new ArrayList<>();
        /** getAllReplicaSetsAndSyncRevision's answer: the new ReplicaSet (null if none) and all the old ones. */
        ObjectNode newRs;

        List<ObjectNode> oldRSs = new ArrayList<>();

        /** append(oldRSs, newRS): may hold a null new ReplicaSet, as in Go. */
        List<ObjectNode> all() {
            List<ObjectNode> all = new ArrayList<>(oldRSs);
            all.add(newRs);
            return all;
        }

        void replace(ObjectNode written) {
            String uid = PodTemplates.uid(written);
            rsList.replaceAll(rs -> PodTemplates.uid(rs).equals(uid) ? written : rs);
            oldRSs.replaceAll(rs -> PodTemplates.uid(rs).equals(uid) ? written : rs);
            if (newRs != null && PodTemplates.uid(newRs).equals(uid)) {
                newRs = written;
            }
        }

        ObjectNode current(ObjectNode rs) {
            String uid = PodTemplates.uid(rs);
            return rsList.stream()
                    .filter(x -> PodTemplates.uid(x).equals(uid))
                    .findFirst()
                    .orElse(rs);
        }
    }

    /** A ReplicaSet after scaleReplicaSet, and whether its size changed. */
    private record Scaled(boolean scaled, ObjectNode rs) {}

    /** The new ReplicaSet, and whether its create found it made already (by an earlier sync). */
    private record Created(ObjectNode rs, boolean alreadyExists) {}

    // ---- syncDeployment

    @Override
    protected Future<Void> sync(String key) {
        int slash = key.indexOf('/');
        String namespace = key.substring(0, slash);
        String name = key.substring(slash + 1);
        return registry.get(deployments(), namespace, name)
                .compose(d -> {
                    typed(d, "Deployment");
                    LabelSelector selector =
                            PodTemplates.selector(d.path("spec").path("selector"));
                    return registry.storage()
                            .list(REPLICA_SETS, namespace)
                            .compose(list -> refs.claim(replicaSets(), d, selector, list.items()))
                            .compose(owned -> {
                                State s = new State();
                                s.d = d;
                                for (ObjectNode rs : owned) {
                                    s.rsList.add(typed(rs, "ReplicaSet"));
                                }
                                return syncDeployment(s);
                            });
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private static ObjectNode typed(ObjectNode o, String kind) {
        o.put("apiVersion", "apps/v1");
        o.put("kind", kind);
        return o;
    }

    private Future<Void> syncDeployment(State s) {
        if (s.d.path("metadata").has("deletionTimestamp")) {
            return syncRevision(s, false).compose(v -> syncDeploymentStatus(s));
        }
        return checkPausedConditions(s).compose(v -> {
            if (paused(s.d)) {
                return syncScale(s);
            }
            if (rollbackTo(s.d) != null) {
                return rollback(s);
            }
            return isScalingEvent(s).compose(scaling -> {
                if (scaling) {
                    return syncScale(s);
                }
                return "Recreate"
                                .equals(s.d.path("spec")
                                        .path("strategy")
                                        .path("type")
                                        .asText())
                        ? rolloutRecreate(s)
                        : rolloutRolling(s);
            });
        });
    }

    private static boolean paused(JsonNode d) {
        return d.path("spec").path("paused").asBoolean(false);
    }

    /** checkPausedConditions: Progressing Unknown with DeploymentPaused or DeploymentResumed as spec.paused changes. */
    private Future<Void> checkPausedConditions(State s) {
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
            setCondition(
                    statusOf(d),
                    newCondition("Progressing", "Unknown", DeploymentUtil.PAUSED, "Deployment is paused", now()));
        } else if (!paused(d) && pausedCondExists) {
            setCondition(
                    statusOf(d),
                    newCondition("Progressing", "Unknown", DeploymentUtil.RESUMED, "Deployment is resumed", now()));
        } else {
            return Future.succeededFuture();
        }
        return updateStatus(s, d);
    }

    /** sync: on a scaling event or while paused, scale (proportionally) and clean up, never roll out. */
    private Future<Void> syncScale(State s) {
        return syncRevision(s, false)
                .compose(v -> scale(s))
                .compose(v -> paused(s.d) && rollbackTo(s.d) == null
                        ? cleanupDeployment(s, new ArrayList<>(s.oldRSs))
                        : Future.succeededFuture())
                .compose(v -> syncDeploymentStatus(s));
    }

    /** isScalingEvent: an active ReplicaSet's desired-replicas annotation is not the Deployment's replicas. */
    private Future<Boolean> isScalingEvent(State s) {
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

    private Future<Void> syncRevision(State s, boolean createIfNotExisted) {
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
                return updateReplicaSet(s, copy).mapEmpty();
            }
            ObjectNode d = s.d.deepCopy();
            String rev = annotation(copy, REVISION);
            boolean needsUpdate = DeploymentUtil.setDeploymentRevision(d, rev == null ? "" : rev);
            if (hasProgressDeadline(d) && DeploymentUtil.condition(d.path("status"), "Progressing") == null) {
                setCondition(
                        statusOf(d),
                        newCondition(
                                "Progressing",
                                "True",
                                DeploymentUtil.FOUND_NEW_RS,
                                "Found new replica set \"" + PodTemplates.name(copy) + "\"",
                                now()));
                needsUpdate = true;
            }
            return needsUpdate ? updateStatus(s, d) : Future.succeededFuture();
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

    /** generateReplicaSetName: the Deployment's name cut so that {@code name-hash} fits 253 characters. */
    static String replicaSetName(String deployment, String hash) {
        int max = 253 - 1 - hash.length();
        String base = deployment.length() > max && max > 0 ? deployment.substring(0, max) : deployment;
        return base + "-" + hash;
    }

    private Future<Void> createNewReplicaSet(State s, String newRevision) {
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
        String rsName = replicaSetName(PodTemplates.name(d), hash);
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
        return registry.create(replicaSets(), PodTemplates.namespace(d), rs, identity, false)
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
                        setCondition(
                                statusOf(copy),
                                newCondition("Progressing", "False", DeploymentUtil.FAILED_RS_CREATE, msg, now()));
                        cond = updateStatus(s, copy).recover(x -> Future.succeededFuture());
                    }
                    return cond.compose(
                                    v -> events.event(s.d, EventRecorder.WARNING, DeploymentUtil.FAILED_RS_CREATE, msg))
                            .compose(v -> Future.<Created>failedFuture(e));
                })
                .compose(created -> {
                    boolean alreadyExists = created.alreadyExists();
                    ObjectNode newRs = created.rs();
                    s.rsList.add(newRs);
                    s.newRs = newRs;
                    Future<Void> event = !alreadyExists && replicas > 0
                            ? events.event(
                                    s.d,
                                    EventRecorder.NORMAL,
                                    "ScalingReplicaSet",
                                    "Scaled up replica set " + PodTemplates.name(newRs) + " from 0 to " + replicas)
                            : Future.succeededFuture();
                    return event.compose(v -> {
                        ObjectNode copy = s.d.deepCopy();
                        boolean needsUpdate = DeploymentUtil.setDeploymentRevision(copy, newRevision);
                        if (!alreadyExists && hasProgressDeadline(copy)) {
                            setCondition(
                                    statusOf(copy),
                                    newCondition(
                                            "Progressing",
                                            "True",
                                            DeploymentUtil.NEW_REPLICA_SET,
                                            "Created new replica set \"" + PodTemplates.name(newRs) + "\"",
                                            now()));
                            needsUpdate = true;
                        }
                        return needsUpdate ? updateStatus(s, copy) : Future.succeededFuture();
                    });
                });
    }

    /** The name is taken: the Deployment's own ReplicaSet of this template, or a hash collision (collisionCount + 1). */
    private Future<Created> existingNewReplicaSet(State s, String rsName, Throwable createError) {
        return registry.get(replicaSets(), PodTemplates.namespace(s.d), rsName).compose(rs -> {
            JsonNode ref = PodTemplates.controllerOf(rs);
            if (ref != null
                    && ref.path("uid").asText().equals(PodTemplates.uid(s.d))
                    && DeploymentUtil.equalIgnoreHash(
                            s.d.path("spec").path("template"), rs.path("spec").path("template"))) {
                return Future.succeededFuture(new Created(typed(rs, "ReplicaSet"), true));
            }
            ObjectNode copy = s.d.deepCopy();
            ObjectNode status = statusOf(copy);
            status.put("collisionCount", status.path("collisionCount").asInt(0) + 1);
            return updateStatus(s, copy).compose(v -> Future.<Created>failedFuture(createError));
        });
    }

    // ---- scaling (sync.go)

    /** scale: the sizes {@link DeploymentUtil#scaleSizes} gives, written one ReplicaSet after the other. */
    private Future<Void> scale(State s) {
        return sequenceResizes(
                DeploymentUtil.scaleSizes(s.d, s.newRs, s.oldRSs),
                r -> r.evenIfSameSize()
                        ? scaleReplicaSet(s, r.rs(), r.size())
                        : scaleReplicaSetAndRecordEvent(s, r.rs(), r.size()));
    }

    private static Future<Void> sequenceResizes(
            List<DeploymentUtil.Resize> resizes, Function<DeploymentUtil.Resize, Future<Scaled>> step) {
        Future<Void> chain = Future.succeededFuture();
        for (DeploymentUtil.Resize r : resizes) {
            chain = chain.compose(v -> step.apply(r).mapEmpty());
        }
        return chain;
    }

    private Future<Scaled> scaleReplicaSetAndRecordEvent(State s, ObjectNode rs, int newScale) {
        if (replicas(rs) == newScale) {
            return Future.succeededFuture(new Scaled(false, rs));
        }
        return scaleReplicaSet(s, rs, newScale);
    }

    /** scaleReplicaSet: the size and the desired/max annotations, with a ScalingReplicaSet event when the size changes. */
    private Future<Scaled> scaleReplicaSet(State s, ObjectNode rs, int newScale) {
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
        return updateReplicaSet(s, copy).compose(written -> {
            if (!sizeNeedsUpdate) {
                return Future.succeededFuture(new Scaled(false, written));
            }
            return events.event(
                            s.d,
                            EventRecorder.NORMAL,
                            "ScalingReplicaSet",
                            "Scaled " + (oldScale < newScale ? "up" : "down") + " replica set "
                                    + PodTemplates.name(written) + " from " + oldScale + " to " + newScale)
                    .map(v -> new Scaled(true, written));
        });
    }

    /** cleanupDeployment: old ReplicaSets beyond revisionHistoryLimit, lowest revisions first, if empty and observed. */
    private Future<Void> cleanupDeployment(State s, List<ObjectNode> oldRSs) {
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
        return sequence(cleanable.subList(0, diff), rs -> {
            if (DeploymentUtil.status(rs, "replicas") != 0
                    || replicas(rs) != 0
                    || rs.path("metadata").path("generation").asLong()
                            > rs.path("status").path("observedGeneration").asLong()
                    || rs.path("metadata").has("deletionTimestamp")) {
                return Future.succeededFuture();
            }
            return new Deleter(registry)
                    .delete(
                            replicaSets(),
                            PodTemplates.namespace(rs),
                            PodTemplates.name(rs),
                            Deleter.Options.defaults(),
                            identity)
                    .<Void>mapEmpty()
                    .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
        });
    }

    // ---- rolling.go

    private Future<Void> rolloutRolling(State s) {
        return syncRevision(s, true).compose(v -> {
            List<ObjectNode> all = s.all();
            return reconcileNewReplicaSet(s, all).compose(scaledUp -> {
                if (scaledUp) {
                    return syncRolloutStatus(s);
                }
                return reconcileOldReplicaSets(s, DeploymentUtil.active(s.oldRSs))
                        .recover(e -> Future.succeededFuture(false))
                        .compose(scaledDown -> {
                            if (scaledDown) {
                                return syncRolloutStatus(s);
                            }
                            Future<Void> cleanup = DeploymentUtil.deploymentComplete(s.d, s.d.path("status"))
                                    ? cleanupDeployment(s, new ArrayList<>(s.oldRSs))
                                    : Future.succeededFuture();
                            return cleanup.compose(x -> syncRolloutStatus(s));
                        });
            });
        });
    }

    private Future<Boolean> reconcileNewReplicaSet(State s, List<ObjectNode> all) {
        ObjectNode newRs = s.newRs;
        int desired = replicas(s.d);
        if (replicas(newRs) == desired) {
            return Future.succeededFuture(false);
        }
        if (replicas(newRs) > desired) {
            return scaleReplicaSetAndRecordEvent(s, newRs, desired).map(Scaled::scaled);
        }
        int count = DeploymentUtil.newRSNewReplicas(s.d, all, newRs);
        return scaleReplicaSetAndRecordEvent(s, newRs, count).map(Scaled::scaled);
    }

    private Future<Boolean> reconcileOldReplicaSets(State s, List<ObjectNode> activeOld) {
        if (DeploymentUtil.sumReplicas(activeOld) == 0) {
            return Future.succeededFuture(false);
        }
        ObjectNode newRs = s.newRs;
        List<ObjectNode> all = s.all();
        int allPods = DeploymentUtil.sumReplicas(all);
        int minAvailable = replicas(s.d) - DeploymentUtil.maxUnavailable(s.d);
        int newUnavailable = replicas(newRs) - DeploymentUtil.status(newRs, "availableReplicas");
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return Future.succeededFuture(false);
        }
        List<ObjectNode> old = new ArrayList<>(activeOld);
        old.sort(DeploymentUtil.BY_CREATION);
        int[] cleaned = {0};
        Future<Void> cleanup = sequenceIndexed(old, (i, rs) -> {
            if (cleaned[0] >= maxScaledDown
                    || replicas(rs) == 0
                    || replicas(rs) == DeploymentUtil.status(rs, "availableReplicas")) {
                return Future.succeededFuture();
            }
            int down =
                    Math.min(maxScaledDown - cleaned[0], replicas(rs) - DeploymentUtil.status(rs, "availableReplicas"));
            return scaleReplicaSetAndRecordEvent(s, rs, replicas(rs) - down).map(scaled -> {
                cleaned[0] += down;
                old.set(i, scaled.rs());
                return null;
            });
        });
        return cleanup.compose(v -> {
                    List<ObjectNode> allAfter = new ArrayList<>(old);
                    allAfter.add(newRs);
                    return scaleDownOldReplicaSetsForRollingUpdate(s, allAfter, old);
                })
                .map(scaledDown -> cleaned[0] + scaledDown > 0);
    }

    private Future<Integer> scaleDownOldReplicaSetsForRollingUpdate(
            State s, List<ObjectNode> all, List<ObjectNode> old) {
        int minAvailable = replicas(s.d) - DeploymentUtil.maxUnavailable(s.d);
        int available = DeploymentUtil.sumStatus(all, "availableReplicas");
        if (available <= minAvailable) {
            return Future.succeededFuture(0);
        }
        List<ObjectNode> sorted = new ArrayList<>(old);
        sorted.sort(DeploymentUtil.BY_CREATION);
        int total = available - minAvailable;
        int[] scaledDown = {0};
        return sequence(sorted, rs -> {
                    if (scaledDown[0] >= total || replicas(rs) == 0) {
                        return Future.succeededFuture();
                    }
                    int down = Math.min(replicas(rs), total - scaledDown[0]);
                    return scaleReplicaSetAndRecordEvent(s, rs, replicas(rs) - down)
                            .map(x -> {
                                scaledDown[0] += down;
                                return null;
                            });
                })
                .map(v -> scaledDown[0]);
    }

    // ---- recreate.go

    private Future<Void> rolloutRecreate(State s) {
        return syncRevision(s, false).compose(v -> {
            List<ObjectNode> activeOld = DeploymentUtil.active(s.oldRSs);
            boolean[] scaled = {false};
            return sequence(
                            activeOld,
                            rs -> scaleReplicaSetAndRecordEvent(s, rs, 0).map(r -> {
                                scaled[0] |= r.scaled();
                                return null;
                            }))
                    .compose(x -> {
                        if (scaled[0]) {
                            return syncRolloutStatus(s);
                        }
                        return oldPodsRunning(s).compose(running -> {
                            if (running) {
                                return syncRolloutStatus(s);
                            }
                            Future<Void> created = s.newRs == null ? syncRevision(s, true) : Future.succeededFuture();
                            return created.compose(y -> scaleReplicaSetAndRecordEvent(s, s.newRs, replicas(s.d)))
                                    .compose(y -> DeploymentUtil.deploymentComplete(s.d, s.d.path("status"))
                                            ? cleanupDeployment(s, new ArrayList<>(s.oldRSs))
                                            : Future.succeededFuture())
                                    .compose(y -> syncRolloutStatus(s));
                        });
                    });
        });
    }

    /** oldPodsRunning: old ReplicaSets count pods, or a pod of one (selected by the Deployment) has not finished. */
    private Future<Boolean> oldPodsRunning(State s) {
        if (DeploymentUtil.sumStatus(s.oldRSs, "replicas") > 0) {
            return Future.succeededFuture(true);
        }
        Set<String> oldUids = new HashSet<>();
        s.rsList.forEach(rs -> oldUids.add(PodTemplates.uid(rs)));
        if (s.newRs != null) {
            oldUids.remove(PodTemplates.uid(s.newRs));
        }
        LabelSelector selector = PodTemplates.selector(s.d.path("spec").path("selector"));
        return registry.storage().list(PODS, PodTemplates.namespace(s.d)).map(list -> {
            for (ObjectNode pod : list.items()) {
                JsonNode ref = PodTemplates.controllerOf(pod);
                String phase = pod.path("status").path("phase").asText();
                if (ref != null
                        && oldUids.contains(ref.path("uid").asText())
                        && selector.matches(PodTemplates.labels(pod))
                        && !phase.equals("Failed")
                        && !phase.equals("Succeeded")) {
                    return true;
                }
            }
            return false;
        });
    }

    // ---- rollback.go (the deprecated.deployment.rollback.to annotation; kubectl rollout undo patches instead)

    static Long rollbackTo(JsonNode d) {
        String v = annotation(d, ROLLBACK_TO);
        if (v == null || v.isEmpty()) {
            return null;
        }
        return DeploymentUtil.parseInt64(v);
    }

    private Future<Void> rollback(State s) {
        return syncRevision(s, true).compose(v -> {
            List<ObjectNode> all = s.all();
            long to = rollbackTo(s.d);
            if (to == 0) {
                to = DeploymentUtil.lastRevision(all);
                if (to == 0) {
                    return events.event(
                                    s.d,
                                    EventRecorder.WARNING,
                                    DeploymentUtil.ROLLBACK_REVISION_NOT_FOUND,
                                    "Unable to find last revision.")
                            .compose(x -> clearRollbackTo(s, s.d.deepCopy()));
                }
            }
            for (ObjectNode rs : all) {
                Long revision = rs == null ? null : DeploymentUtil.revision(rs);
                if (revision != null && revision == to) {
                    long target = to;
                    return rollbackToTemplate(s, rs, target);
                }
            }
            return events.event(
                            s.d,
                            EventRecorder.WARNING,
                            DeploymentUtil.ROLLBACK_REVISION_NOT_FOUND,
                            "Unable to find the revision to rollback to.")
                    .compose(x -> clearRollbackTo(s, s.d.deepCopy()));
        });
    }

    private Future<Void> rollbackToTemplate(State s, ObjectNode rs, long revision) {
        ObjectNode d = s.d.deepCopy();
        String name = PodTemplates.name(d);
        if (!DeploymentUtil.equalIgnoreHash(
                d.path("spec").path("template"), rs.path("spec").path("template"))) {
            DeploymentUtil.setFromReplicaSetTemplate(d, rs);
            DeploymentUtil.setDeploymentAnnotationsTo(d, rs);
            return clearRollbackTo(s, d)
                    .compose(v -> events.event(
                            s.d,
                            EventRecorder.NORMAL,
                            DeploymentUtil.ROLLBACK_DONE,
                            "Rolled back deployment \"" + name + "\" to revision " + revision));
        }
        return events.event(
                        s.d,
                        EventRecorder.WARNING,
                        DeploymentUtil.ROLLBACK_TEMPLATE_UNCHANGED,
                        "The rollback revision contains the same template as current deployment \"" + name + "\"")
                .compose(v -> clearRollbackTo(s, d));
    }

    /** updateDeploymentAndClearRollbackTo. */
    private Future<Void> clearRollbackTo(State s, ObjectNode d) {
        DeploymentUtil.annotations(d).remove(ROLLBACK_TO);
        return write(s, d, "");
    }

    // ---- status (sync.go, progress.go)

    static ObjectNode statusOf(ObjectNode d) {
        return d.get("status") instanceof ObjectNode st ? st : d.putObject("status");
    }

    /** calculateStatus: counts from the ReplicaSets (zero counts omitted, as Go writes them) and Available. */
    private ObjectNode calculateStatus(State s) {
        ObjectNode d = s.d;
        List<ObjectNode> all = s.all();
        int available = DeploymentUtil.sumStatus(all, "availableReplicas");
        int unavailable = Math.max(0, DeploymentUtil.sumReplicas(all) - available);
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        putNonZero(
                status,
                "observedGeneration",
                d.path("metadata").path("generation").asLong());
        putNonZero(status, "replicas", DeploymentUtil.sumStatus(all, "replicas"));
        putNonZero(status, "updatedReplicas", DeploymentUtil.status(s.newRs, "replicas"));
        putNonZero(status, "readyReplicas", DeploymentUtil.sumStatus(all, "readyReplicas"));
        putNonZero(status, "availableReplicas", available);
        putNonZero(status, "unavailableReplicas", unavailable);
        JsonNode old = d.path("status");
        if (old.get("conditions") instanceof ArrayNode c && !c.isEmpty()) {
            status.set("conditions", c.deepCopy());
        }
        if (old.has("collisionCount")) {
            status.set("collisionCount", old.get("collisionCount"));
        }
        if (available >= replicas(d) - DeploymentUtil.maxUnavailable(d)) {
            setCondition(
                    status,
                    newCondition(
                            "Available",
                            "True",
                            "MinimumReplicasAvailable",
                            "Deployment has minimum availability.",
                            now()));
        } else {
            setCondition(
                    status,
                    newCondition(
                            "Available",
                            "False",
                            "MinimumReplicasUnavailable",
                            "Deployment does not have minimum availability.",
                            now()));
        }
        return status;
    }

    private static void putNonZero(ObjectNode status, String field, long value) {
        if (value != 0) {
            status.put(field, value);
        }
    }

    /** syncDeploymentStatus. */
    private Future<Void> syncDeploymentStatus(State s) {
        ObjectNode status = calculateStatus(s);
        if (status.equals(s.d.path("status"))) {
            return Future.succeededFuture();
        }
        ObjectNode d = s.d.deepCopy();
        d.set("status", status);
        return updateStatus(s, d);
    }

    /** syncRolloutStatus: the Progressing condition from the progress since the last status, and ReplicaFailure. */
    private Future<Void> syncRolloutStatus(State s) {
        ObjectNode d = s.d;
        ObjectNode status = calculateStatus(s);
        if (!hasProgressDeadline(d)) {
            DeploymentUtil.removeCondition(status, "Progressing");
        }
        JsonNode current = DeploymentUtil.condition(d.path("status"), "Progressing");
        boolean complete = status.path("replicas").asInt()
                        == status.path("updatedReplicas").asInt()
                && current != null
                && current.path("reason").asText().equals(DeploymentUtil.NEW_RS_AVAILABLE);
        String subject = s.newRs == null
                ? "Deployment \"" + PodTemplates.name(d) + "\""
                : "ReplicaSet \"" + PodTemplates.name(s.newRs) + "\"";
        if (hasProgressDeadline(d) && !complete) {
            if (DeploymentUtil.deploymentComplete(d, status)) {
                setCondition(
                        status,
                        newCondition(
                                "Progressing",
                                "True",
                                DeploymentUtil.NEW_RS_AVAILABLE,
                                subject + " has successfully progressed.",
                                now()));
            } else if (DeploymentUtil.deploymentProgressing(d, status)) {
                ObjectNode c = newCondition(
                        "Progressing", "True", DeploymentUtil.REPLICA_SET_UPDATED, subject + " is progressing.", now());
                if (current != null) {
                    if (current.path("status").asText().equals("True")) {
                        c.set("lastTransitionTime", current.get("lastTransitionTime"));
                    }
                    DeploymentUtil.removeCondition(status, "Progressing");
                }
                setCondition(status, c);
            } else if (DeploymentUtil.deploymentTimedOut(d, status, now())) {
                setCondition(
                        status,
                        newCondition(
                                "Progressing",
                                "False",
                                DeploymentUtil.TIMED_OUT,
                                subject + " has timed out progressing.",
                                now()));
            }
        }
        List<JsonNode> failures = replicaFailures(s);
        if (!failures.isEmpty()) {
            setCondition(status, DeploymentUtil.fromReplicaSetCondition(failures.get(0)));
        } else {
            DeploymentUtil.removeCondition(status, "ReplicaFailure");
        }
        if (status.equals(d.path("status"))) {
            requeueStuckDeployment(s, status);
            return Future.succeededFuture();
        }
        ObjectNode copy = d.deepCopy();
        copy.set("status", status);
        return updateStatus(s, copy);
    }

    /** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else every ReplicaSet's. */
    private static List<JsonNode> replicaFailures(State s) {
        List<JsonNode> out = new ArrayList<>();
        if (s.newRs != null) {
            s.newRs.path("status").path("conditions").forEach(c -> {
                if (c.path("type").asText().equals("ReplicaFailure")) {
                    out.add(c);
                }
            });
        }
        if (!out.isEmpty()) {
            return out;
        }
        for (ObjectNode rs : s.all()) {
            if (rs != null) {
                rs.path("status").path("conditions").forEach(c -> {
                    if (c.path("type").asText().equals("ReplicaFailure")) {
                        out.add(c);
                    }
                });
            }
        }
        return out;
    }

    /** requeueStuckDeployment: look again once the progress deadline passes. */
    private void requeueStuckDeployment(State s, ObjectNode newStatus) {
        JsonNode c = DeploymentUtil.condition(s.d.path("status"), "Progressing");
        if (!hasProgressDeadline(s.d) || c == null) {
            return;
        }
        if (DeploymentUtil.deploymentComplete(s.d, newStatus)
                || c.path("reason").asText().equals(DeploymentUtil.TIMED_OUT)) {
            return;
        }
        Instant due = Instant.parse(c.path("lastUpdateTime").asText())
                .plusSeconds(s.d.path("spec").path("progressDeadlineSeconds").asLong());
        long after = Duration.between(now(), due).toMillis();
        // upstream re-adds at once (rate limited) under a second, else a second after the deadline
        enqueueAfter(key(s.d), after < 1000 ? 5 : after + 1000);
    }

    // ---- writes

    private Future<ObjectNode> updateReplicaSet(State s, ObjectNode rs) {
        return registry.update(
                        replicaSets(), PodTemplates.namespace(rs), PodTemplates.name(rs), rs, "", identity, false)
                .map(written -> {
                    typed(written, "ReplicaSet");
                    s.replace(written);
                    return written;
                });
    }

    /**
     * UpdateStatus of {@code d} (a modified copy of the sync's Deployment): its status and its annotations, which the
     * deployment status strategy keeps (the revision annotation is written this way, without a new generation).
     */
    private Future<Void> updateStatus(State s, ObjectNode d) {
        boolean annotationsChanged = !annotationsOf(d).equals(annotationsOf(s.d));
        boolean statusChanged = d.has("status") && !d.path("status").equals(s.d.path("status"));
        if (!annotationsChanged && !statusChanged) {
            return Future.succeededFuture();
        }
        ObjectNode copy = s.d.deepCopy();
        if (annotationsChanged) {
            ((ObjectNode) copy.get("metadata"))
                    .set("annotations", annotationsOf(d).deepCopy());
        }
        if (d.has("status")) {
            copy.set("status", d.get("status").deepCopy());
        }
        return write(s, copy, "status");
    }

    private static JsonNode annotationsOf(JsonNode o) {
        JsonNode a = o.path("metadata").path("annotations");
        return a.isObject() ? a : JsonNodeFactory.instance.objectNode();
    }

    private Future<Void> write(State s, ObjectNode d, String subresource) {
        return registry.update(
                        deployments(), PodTemplates.namespace(d), PodTemplates.name(d), d, subresource, identity, false)
                .map(updated -> {
                    s.d = typed(updated, "Deployment");
                    return null;
                });
    }

    // ---- sequencing

    private static <T> Future<Void> sequence(List<ObjectNode> items, Function<ObjectNode, Future<T>> step) {
        Future<Void> chain = Future.succeededFuture();
        for (ObjectNode item : new ArrayList<>(items)) {
            chain = chain.compose(v -> step.apply(item).mapEmpty());
        }
        return chain;
    }

    private interface IndexedStep {
        Future<Void> apply(int index, ObjectNode item);
    }

    private static Future<Void> sequenceIndexed(List<ObjectNode> items, IndexedStep step) {
        Future<Void> chain = Future.succeededFuture();
        List<ObjectNode> snapshot = new ArrayList<>(items);
        for (int i = 0; i < snapshot.size(); i++) {
            int index = i;
            chain = chain.compose(v -> step.apply(index, snapshot.get(index)));
        }
        return chain;
    }
}
