package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The deployment controller (pkg/controller/deployment): per Deployment, claims the ReplicaSets of its namespace,
 * finds the one whose template is the Deployment's ({@code pod-template-hash} aside) or creates
 * {@code <deployment>-<pod-template-hash>} ({@link GoDeepHash}) with the hash in its labels, selector and template and
 * the {@code deployment.kubernetes.io/revision}, {@code desired-replicas} and {@code max-replicas} annotations; keeps
 * the Deployment's revision annotation; scales (a scaling event with one active ReplicaSet); rolls out with the
 * RollingUpdate arithmetic (maxSurge rounded up, maxUnavailable down, unhealthy old replicas cleaned up first, old
 * replicas scaled down only as far as available ones allow, so that with pods that never become available a rollout
 * stalls as on the reference) or Recreate; deletes old ReplicaSets beyond revisionHistoryLimit; and writes the status
 * with the Available and Progressing conditions (including ProgressDeadlineExceeded once progressDeadlineSeconds pass
 * without progress), with a {@code ScalingReplicaSet} event per scale. Not done: proportional scaling of several
 * active ReplicaSets (only the newest is scaled), pause and rollback annotations, hash collisions (collisionCount).
 */
final class DeploymentController extends QueueController {
    static final String NAME = "deployment-controller";
    static final String HASH_LABEL = "pod-template-hash";
    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String DESIRED = "deployment.kubernetes.io/desired-replicas";
    static final String MAX = "deployment.kubernetes.io/max-replicas";
    /** Deployment annotations not copied onto its ReplicaSets (skipCopyAnnotation). */
    private static final Set<String> NOT_COPIED = Set.of(
            "kubectl.kubernetes.io/last-applied-configuration",
            REVISION,
            "deployment.kubernetes.io/revision-history",
            DESIRED,
            MAX,
            "deprecated.deployment.rollback.to");

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
                new Source(
                        DEPLOYMENTS,
                        (type, d) -> type == WatchEvent.Type.DELETED
                                ? List.of()
                                : List.of(PodTemplates.namespace(d) + "/" + PodTemplates.name(d))),
                new Source(REPLICA_SETS, (type, rs) -> {
                    JsonNode ref = PodTemplates.controllerOf(rs);
                    return ref != null && ref.path("kind").asText().equals("Deployment")
                            ? List.of(PodTemplates.namespace(rs) + "/"
                                    + ref.path("name").asText())
                            : List.of();
                }));
    }

    private ServedResource deployments() {
        return registry.catalog().lookup("apps", "v1", "deployments").orElseThrow();
    }

    private ServedResource replicaSets() {
        return registry.catalog().lookup("apps", "v1", "replicasets").orElseThrow();
    }

    /** What one sync works on; ReplicaSets are replaced in {@code all} as they are written. */
    private static final class State {
        ObjectNode d;
        List<ObjectNode> all = new ArrayList<>();
        ObjectNode newRs;

        List<ObjectNode> old() {
            return all.stream().filter(rs -> rs != newRs).toList();
        }

        void replace(ObjectNode before, ObjectNode after) {
            all.replaceAll(rs -> rs == before ? after : rs);
            if (newRs == before) {
                newRs = after;
            }
        }
    }

    @Override
    protected Future<Void> sync(String key) {
        int slash = key.indexOf('/');
        String namespace = key.substring(0, slash);
        String name = key.substring(slash + 1);
        return registry.get(deployments(), namespace, name)
                .compose(d -> {
                    d.put("apiVersion", "apps/v1");
                    d.put("kind", "Deployment");
                    LabelSelector selector =
                            PodTemplates.selector(d.path("spec").path("selector"));
                    return registry.storage()
                            .list(REPLICA_SETS, namespace)
                            .compose(list -> refs.claim(replicaSets(), d, selector, list.items()))
                            .compose(owned -> {
                                State s = new State();
                                s.d = d;
                                for (ObjectNode rs : owned) {
                                    rs.put("apiVersion", "apps/v1");
                                    rs.put("kind", "ReplicaSet");
                                    s.all.add(rs);
                                }
                                s.all.sort(Comparator.comparing(rs -> rs.path("metadata")
                                        .path("creationTimestamp")
                                        .asText()));
                                return reconcile(s);
                            });
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private Future<Void> reconcile(State s) {
        if (s.d.path("metadata").has("deletionTimestamp")) {
            return syncStatusOnly(s);
        }
        s.newRs = findNew(s);
        if (s.newRs != null && isScalingEvent(s)) {
            return scale(s).compose(v -> syncStatusOnly(s));
        }
        boolean recreate =
                "Recreate".equals(s.d.path("spec").path("strategy").path("type").asText());
        return syncRevision(s, !recreate)
                .compose(v -> recreate ? rolloutRecreate(s) : rolloutRolling(s))
                .compose(v -> cleanup(s))
                .compose(v -> syncRolloutStatus(s));
    }

    // ---- revisions and the new ReplicaSet

    /** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's, pod-template-hash aside. */
    private static ObjectNode findNew(State s) {
        JsonNode template = withoutHash(s.d.path("spec").path("template"));
        for (ObjectNode rs : s.all) {
            if (withoutHash(rs.path("spec").path("template")).equals(template)) {
                return rs;
            }
        }
        return null;
    }

    private static JsonNode withoutHash(JsonNode template) {
        JsonNode copy = template.deepCopy();
        JsonNode labels = copy.path("metadata").path("labels");
        if (labels instanceof ObjectNode l) {
            l.remove(HASH_LABEL);
            if (l.isEmpty()) {
                ((ObjectNode) copy.get("metadata")).remove("labels");
            }
        }
        return copy;
    }

    private static long revision(JsonNode object) {
        try {
            return Long.parseLong(
                    object.path("metadata").path("annotations").path(REVISION).asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** getAllReplicaSetsAndSyncRevision and getNewReplicaSet. */
    private Future<Void> syncRevision(State s, boolean createNew) {
        long maxOld =
                s.old().stream().mapToLong(DeploymentController::revision).max().orElse(0);
        long newRevision = maxOld + 1;
        Future<Void> rs;
        if (s.newRs != null) {
            ObjectNode copy = s.newRs.deepCopy();
            boolean changed = setNewReplicaSetAnnotations(s.d, copy, newRevision);
            if (revision(s.newRs) < newRevision) {
                changed = true;
            }
            rs = changed ? writeReplicaSet(s, s.newRs, copy) : Future.succeededFuture();
        } else if (createNew) {
            rs = createNewReplicaSet(s, newRevision);
        } else {
            rs = Future.succeededFuture();
        }
        return rs.compose(v -> {
            long current = revision(s.d);
            long target = s.newRs != null ? revision(s.newRs) : newRevision;
            if (s.newRs == null && !createNew) {
                return Future.succeededFuture();
            }
            if (current == target && s.d.path("metadata").path("annotations").has(REVISION)) {
                return Future.succeededFuture();
            }
            ObjectNode copy = s.d.deepCopy();
            annotations(copy).put(REVISION, Long.toString(target));
            return registry.update(
                            deployments(),
                            PodTemplates.namespace(copy),
                            PodTemplates.name(copy),
                            copy,
                            "",
                            identity,
                            false)
                    .map(updated -> {
                        updated.put("apiVersion", "apps/v1");
                        updated.put("kind", "Deployment");
                        s.d = updated;
                        return null;
                    });
        });
    }

    private static ObjectNode annotations(ObjectNode object) {
        ObjectNode meta = (ObjectNode) object.get("metadata");
        return meta.has("annotations") ? (ObjectNode) meta.get("annotations") : meta.putObject("annotations");
    }

    /** SetNewReplicaSetAnnotations: copied annotations, the revision when newer, desired and max replicas. */
    private static boolean setNewReplicaSetAnnotations(ObjectNode d, ObjectNode rs, long newRevision) {
        ObjectNode before = annotations(rs).deepCopy();
        ObjectNode a = annotations(rs);
        d.path("metadata").path("annotations").fields().forEachRemaining(e -> {
            if (!NOT_COPIED.contains(e.getKey()) && !a.has(e.getKey())) {
                a.set(e.getKey(), e.getValue());
            }
        });
        if (revision(rs) < newRevision) {
            a.put(REVISION, Long.toString(newRevision));
        }
        int replicas = replicas(d);
        a.put(DESIRED, Integer.toString(replicas));
        a.put(MAX, Integer.toString(replicas + maxSurge(d)));
        return !a.equals(before);
    }

    private Future<Void> createNewReplicaSet(State s, long newRevision) {
        ObjectNode d = s.d;
        String hash = GoDeepHash.podTemplateHash(
                d.path("spec").path("template"),
                d.path("status").has("collisionCount")
                        ? d.path("status").path("collisionCount").asInt()
                        : null);
        ObjectNode template = d.path("spec").path("template").deepCopy();
        ObjectNode tmeta =
                template.has("metadata") ? (ObjectNode) template.get("metadata") : template.putObject("metadata");
        ObjectNode labels = tmeta.has("labels") ? (ObjectNode) tmeta.get("labels") : tmeta.putObject("labels");
        labels.put(HASH_LABEL, hash);
        ObjectNode selector = d.path("spec").path("selector").deepCopy();
        ObjectNode matchLabels = selector.has("matchLabels")
                ? (ObjectNode) selector.get("matchLabels")
                : selector.putObject("matchLabels");
        matchLabels.put(HASH_LABEL, hash);
        ObjectNode rs = d.objectNode();
        rs.put("apiVersion", "apps/v1");
        rs.put("kind", "ReplicaSet");
        ObjectNode meta = rs.putObject("metadata");
        meta.put("name", PodTemplates.name(d) + "-" + hash);
        meta.put("namespace", PodTemplates.namespace(d));
        meta.set("labels", labels.deepCopy());
        meta.putArray("ownerReferences").add(PodTemplates.controllerRef(d));
        ObjectNode spec = rs.putObject("spec");
        spec.put("replicas", 0);
        if (d.path("spec").path("minReadySeconds").asInt() != 0) {
            spec.put("minReadySeconds", d.path("spec").path("minReadySeconds").asInt());
        }
        spec.set("selector", selector);
        spec.set("template", template);
        List<ObjectNode> withNew = new ArrayList<>(s.all);
        withNew.add(rs);
        int replicas = newReplicas(d, withNew, rs);
        spec.put("replicas", replicas);
        setNewReplicaSetAnnotations(d, rs, newRevision);
        return registry.create(replicaSets(), PodTemplates.namespace(d), rs, identity, false)
                .compose(created -> {
                    created.put("apiVersion", "apps/v1");
                    created.put("kind", "ReplicaSet");
                    s.all.add(created);
                    s.newRs = created;
                    Future<Void> event = replicas > 0
                            ? events.event(
                                    d,
                                    "Normal",
                                    "ScalingReplicaSet",
                                    "Scaled up replica set " + PodTemplates.name(created) + " from 0 to " + replicas)
                            : Future.succeededFuture();
                    if (hasProgressDeadline(d)) {
                        setCondition(
                                statusOf(d),
                                condition(
                                        "Progressing",
                                        "True",
                                        "NewReplicaSetCreated",
                                        "Created new replica set \"" + PodTemplates.name(created) + "\""));
                    }
                    return event;
                });
    }

    // ---- scaling

    private static int replicas(JsonNode object) {
        return object.path("spec").path("replicas").asInt(1);
    }

    private static boolean isRolling(JsonNode d) {
        return !"Recreate".equals(d.path("spec").path("strategy").path("type").asText());
    }

    private static int scaled(JsonNode value, int total, boolean roundUp) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return (int) Math.ceil(total * 0.25);
        }
        if (value.isNumber()) {
            return value.asInt();
        }
        String text = value.asText();
        double percent = Double.parseDouble(text.substring(0, text.length() - 1));
        double v = percent * total / 100.0;
        return (int) (roundUp ? Math.ceil(v) : Math.floor(v));
    }

    /** ResolveFenceposts: maxSurge rounded up, maxUnavailable down, never both zero. */
    private static int[] fenceposts(JsonNode d) {
        JsonNode ru = d.path("spec").path("strategy").path("rollingUpdate");
        int desired = replicas(d);
        JsonNode surge = ru.path("maxSurge");
        JsonNode unavailable = ru.path("maxUnavailable");
        int s = surge.isMissingNode() ? (int) Math.ceil(desired * 0.25) : scaled(surge, desired, true);
        int u = unavailable.isMissingNode() ? (int) Math.floor(desired * 0.25) : scaled(unavailable, desired, false);
        if (s == 0 && u == 0) {
            u = 1;
        }
        return new int[] {s, u};
    }

    static int maxSurge(JsonNode d) {
        return isRolling(d) ? fenceposts(d)[0] : 0;
    }

    static int maxUnavailable(JsonNode d) {
        if (!isRolling(d) || replicas(d) == 0) {
            return 0;
        }
        return Math.min(fenceposts(d)[1], replicas(d));
    }

    private static int sumSpec(List<ObjectNode> sets) {
        return sets.stream().mapToInt(DeploymentController::replicas).sum();
    }

    private static int sumStatus(List<ObjectNode> sets, String field) {
        return sets.stream()
                .mapToInt(rs -> rs.path("status").path(field).asInt())
                .sum();
    }

    /** NewRSNewReplicas. */
    private static int newReplicas(JsonNode d, List<ObjectNode> all, ObjectNode newRs) {
        if (!isRolling(d)) {
            return replicas(d);
        }
        int current = replicas(newRs);
        if (current >= replicas(d)) {
            return replicas(d);
        }
        int maxTotal = replicas(d) + maxSurge(d);
        int pods = sumSpec(all);
        if (pods >= maxTotal) {
            return current;
        }
        return current + Math.min(maxTotal - pods, replicas(d) - current);
    }

    /** isScalingEvent: an active ReplicaSet's desired-replicas annotation is not the Deployment's replicas. */
    private static boolean isScalingEvent(State s) {
        for (ObjectNode rs : s.all) {
            if (replicas(rs) > 0) {
                String desired =
                        rs.path("metadata").path("annotations").path(DESIRED).asText("");
                if (!desired.equals(Integer.toString(replicas(s.d)))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** scale: the one active (or else the newest) ReplicaSet takes the Deployment's replicas. */
    private Future<Void> scale(State s) {
        List<ObjectNode> active = s.all.stream().filter(rs -> replicas(rs) > 0).toList();
        ObjectNode target;
        if (active.size() == 1) {
            target = active.get(0);
        } else if (active.isEmpty()) {
            target = s.newRs != null ? s.newRs : s.all.isEmpty() ? null : s.all.get(s.all.size() - 1);
        } else {
            target = s.newRs; // proportional scaling is not emulated
        }
        if (target == null) {
            return Future.succeededFuture();
        }
        return scaleReplicaSet(s, target, replicas(s.d));
    }

    /** scaleReplicaSetAndRecordEvent: replicas and the desired/max annotations, with the ScalingReplicaSet event. */
    private Future<Void> scaleReplicaSet(State s, ObjectNode rs, int to) {
        ObjectNode copy = rs.deepCopy();
        ObjectNode a = annotations(copy);
        String desired = Integer.toString(replicas(s.d));
        String max = Integer.toString(replicas(s.d) + maxSurge(s.d));
        boolean annotationsChanged = !desired.equals(a.path(DESIRED).asText(null))
                || !max.equals(a.path(MAX).asText(null));
        int from = replicas(rs);
        if (from == to && !annotationsChanged) {
            return Future.succeededFuture();
        }
        a.put(DESIRED, desired);
        a.put(MAX, max);
        ((ObjectNode) copy.get("spec")).put("replicas", to);
        return writeReplicaSet(s, rs, copy)
                .compose(v -> from == to
                        ? Future.succeededFuture()
                        : events.event(
                                s.d,
                                "Normal",
                                "ScalingReplicaSet",
                                "Scaled " + (to > from ? "up" : "down") + " replica set " + PodTemplates.name(rs)
                                        + " from " + from + " to " + to));
    }

    private Future<Void> writeReplicaSet(State s, ObjectNode before, ObjectNode after) {
        return registry.update(
                        replicaSets(),
                        PodTemplates.namespace(after),
                        PodTemplates.name(after),
                        after,
                        "",
                        identity,
                        false)
                .map(written -> {
                    written.put("apiVersion", "apps/v1");
                    written.put("kind", "ReplicaSet");
                    s.replace(before, written);
                    return null;
                });
    }

    // ---- strategies

    /** rolloutRolling: scale the new ReplicaSet up, then the old ones down, as far as the fenceposts allow. */
    private Future<Void> rolloutRolling(State s) {
        ObjectNode newRs = s.newRs;
        Future<Void> up;
        int desired = replicas(s.d);
        if (replicas(newRs) == desired) {
            up = Future.succeededFuture();
        } else if (replicas(newRs) > desired) {
            up = scaleReplicaSet(s, newRs, desired);
        } else {
            up = scaleReplicaSet(s, newRs, newReplicas(s.d, s.all, newRs));
        }
        return up.compose(v -> reconcileOld(s));
    }

    /** reconcileOldReplicaSets with cleanupUnhealthyReplicas and scaleDownOldReplicaSetsForRollingUpdate. */
    private Future<Void> reconcileOld(State s) {
        List<ObjectNode> old = s.old();
        if (sumSpec(old) == 0) {
            return Future.succeededFuture();
        }
        int all = sumSpec(s.all);
        int minAvailable = replicas(s.d) - maxUnavailable(s.d);
        int newUnavailable = replicas(s.newRs)
                - s.newRs.path("status").path("availableReplicas").asInt();
        int maxScaledDown = all - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) {
            return Future.succeededFuture();
        }
        Future<Integer> cleaned = Future.succeededFuture(0);
        for (ObjectNode rs : old) {
            cleaned = cleaned.compose(total -> {
                ObjectNode current = s.all.stream()
                        .filter(x -> PodTemplates.uid(x).equals(PodTemplates.uid(rs)))
                        .findFirst()
                        .orElse(rs);
                if (total >= maxScaledDown || replicas(current) == 0) {
                    return Future.succeededFuture(total);
                }
                int unhealthy = replicas(current)
                        - current.path("status").path("availableReplicas").asInt();
                if (unhealthy <= 0) {
                    return Future.succeededFuture(total);
                }
                int down = Math.min(maxScaledDown - total, unhealthy);
                return scaleReplicaSet(s, current, replicas(current) - down).map(v -> total + down);
            });
        }
        return cleaned.compose(total -> {
            // scaleDownOldReplicaSetsForRollingUpdate: available old replicas above minAvailable
            int available = sumStatus(s.all, "availableReplicas");
            int budget = available - minAvailable;
            Future<Void> chain = Future.succeededFuture();
            if (budget <= 0) {
                return chain;
            }
            int[] left = {budget};
            for (ObjectNode rs : s.old()) {
                chain = chain.compose(v -> {
                    if (left[0] <= 0 || replicas(rs) == 0) {
                        return Future.succeededFuture();
                    }
                    int down = Math.min(replicas(rs), left[0]);
                    left[0] -= down;
                    return scaleReplicaSet(s, rs, replicas(rs) - down);
                });
            }
            return chain;
        });
    }

    /** rolloutRecreate: old ReplicaSets to zero; once none of their pods is left, the new one is made and scaled. */
    private Future<Void> rolloutRecreate(State s) {
        Future<Void> down = Future.succeededFuture();
        boolean scaledDown = false;
        for (ObjectNode rs : s.old()) {
            if (replicas(rs) > 0) {
                scaledDown = true;
                down = down.compose(v -> scaleReplicaSet(s, rs, 0));
            }
        }
        if (scaledDown) {
            return down;
        }
        return registry.storage().list(PODS, PodTemplates.namespace(s.d)).compose(list -> {
            Set<String> oldUids = new java.util.HashSet<>();
            s.old().forEach(rs -> oldUids.add(PodTemplates.uid(rs)));
            for (ObjectNode pod : list.items()) {
                JsonNode ref = PodTemplates.controllerOf(pod);
                String phase = pod.path("status").path("phase").asText();
                if (ref != null
                        && oldUids.contains(ref.path("uid").asText())
                        && !phase.equals("Failed")
                        && !phase.equals("Succeeded")) {
                    return Future.succeededFuture(); // the pods' deletion queues the Deployment again
                }
            }
            Future<Void> created = s.newRs == null
                    ? createNewReplicaSet(
                                    s,
                                    s.old().stream()
                                                    .mapToLong(DeploymentController::revision)
                                                    .max()
                                                    .orElse(0)
                                            + 1)
                            .compose(v -> syncRevision(s, false))
                    : Future.succeededFuture();
            return created.compose(v -> scaleReplicaSet(s, s.newRs, replicas(s.d)));
        });
    }

    /** cleanupDeployment: old ReplicaSets without replicas beyond revisionHistoryLimit go, oldest first. */
    private Future<Void> cleanup(State s) {
        int limit = s.d.path("spec").path("revisionHistoryLimit").asInt(10);
        List<ObjectNode> cleanable = s.old().stream()
                .filter(rs -> replicas(rs) == 0
                        && rs.path("status").path("replicas").asInt() == 0
                        && !rs.path("metadata").has("deletionTimestamp"))
                .sorted(Comparator.comparingLong(DeploymentController::revision))
                .toList();
        int diff = cleanable.size() - limit;
        List<Future<Void>> deleted = new ArrayList<>();
        for (int i = 0; i < diff; i++) {
            ObjectNode rs = cleanable.get(i);
            deleted.add(new Deleter(registry)
                    .delete(
                            replicaSets(),
                            PodTemplates.namespace(rs),
                            PodTemplates.name(rs),
                            Deleter.Options.defaults(),
                            identity)
                    .<Void>mapEmpty()
                    .recover(
                            e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e)));
        }
        return Future.all(deleted).mapEmpty();
    }

    // ---- status

    private static ObjectNode statusOf(ObjectNode d) {
        return d.has("status") && d.get("status").isObject() ? (ObjectNode) d.get("status") : d.putObject("status");
    }

    private static boolean hasProgressDeadline(JsonNode d) {
        JsonNode p = d.path("spec").path("progressDeadlineSeconds");
        return !p.isMissingNode() && !p.isNull() && p.asLong() != Integer.MAX_VALUE;
    }

    private ObjectNode condition(String type, String status, String reason, String message) {
        String now = PodTemplates.rfc3339(registry.clock().instant());
        ObjectNode c = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        c.put("type", type);
        c.put("status", status);
        c.put("lastUpdateTime", now);
        c.put("lastTransitionTime", now);
        c.put("reason", reason);
        c.put("message", message);
        return c;
    }

    private static JsonNode findCondition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        return null;
    }

    /** SetDeploymentCondition: unchanged when status and reason are; else replaced (moved last), keeping lastTransitionTime when the status is the same. */
    private static void setCondition(ObjectNode status, ObjectNode c) {
        JsonNode current = findCondition(status, c.path("type").asText());
        if (current != null
                && current.path("status").asText().equals(c.path("status").asText())
                && current.path("reason").asText().equals(c.path("reason").asText())) {
            return;
        }
        if (current != null
                && current.path("status").asText().equals(c.path("status").asText())) {
            c.set("lastTransitionTime", current.get("lastTransitionTime"));
        }
        removeCondition(status, c.path("type").asText());
        ArrayNode list =
                status.has("conditions") ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
        list.add(c);
    }

    private static void removeCondition(ObjectNode status, String type) {
        if (status.get("conditions") instanceof ArrayNode list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).path("type").asText().equals(type)) {
                    list.remove(i);
                }
            }
        }
    }

    /** calculateStatus: counts from the ReplicaSets' statuses and the Available condition. */
    private ObjectNode calculateStatus(State s) {
        ObjectNode d = s.d;
        int available = sumStatus(s.all, "availableReplicas");
        int total = sumStatus(s.all, "replicas");
        ObjectNode status = d.objectNode();
        status.put("observedGeneration", d.path("metadata").path("generation").asLong());
        status.put("replicas", total);
        status.put(
                "updatedReplicas",
                s.newRs == null ? 0 : s.newRs.path("status").path("replicas").asInt());
        status.put("readyReplicas", sumStatus(s.all, "readyReplicas"));
        status.put("availableReplicas", available);
        status.put("unavailableReplicas", Math.max(0, total - available));
        JsonNode old = d.path("status");
        if (old.has("conditions")) {
            status.set("conditions", old.get("conditions").deepCopy());
        }
        if (old.has("collisionCount")) {
            status.set("collisionCount", old.get("collisionCount"));
        }
        if (available >= replicas(d) - maxUnavailable(d)) {
            setCondition(
                    status,
                    condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."));
        } else {
            setCondition(
                    status,
                    condition(
                            "Available",
                            "False",
                            "MinimumReplicasUnavailable",
                            "Deployment does not have minimum availability."));
        }
        return status;
    }

    /** syncDeploymentStatus: after a scale or for a Deployment being deleted, without the Progressing logic. */
    private Future<Void> syncStatusOnly(State s) {
        if (s.newRs == null) {
            s.newRs = findNew(s);
        }
        return writeStatus(s, calculateStatus(s));
    }

    /** syncRolloutStatus: the Progressing condition from the progress made since the last status. */
    private Future<Void> syncRolloutStatus(State s) {
        ObjectNode status = calculateStatus(s);
        ObjectNode d = s.d;
        if (!hasProgressDeadline(d)) {
            removeCondition(status, "Progressing");
        }
        JsonNode current = findCondition(d.path("status"), "Progressing");
        String newName = s.newRs == null ? null : PodTemplates.name(s.newRs);
        String subject =
                newName == null ? "Deployment \"" + PodTemplates.name(d) + "\"" : "ReplicaSet \"" + newName + "\"";
        boolean complete = status.path("replicas").asInt()
                        == status.path("updatedReplicas").asInt()
                && current != null
                && current.path("reason").asText().equals("NewReplicaSetAvailable");
        if (hasProgressDeadline(d) && !complete) {
            int desired = replicas(d);
            if (status.path("updatedReplicas").asInt() == desired
                    && status.path("replicas").asInt() == desired
                    && status.path("availableReplicas").asInt() == desired
                    && status.path("observedGeneration").asLong()
                            >= d.path("metadata").path("generation").asLong()) {
                setCondition(
                        status,
                        condition(
                                "Progressing",
                                "True",
                                "NewReplicaSetAvailable",
                                subject + " has successfully progressed."));
            } else if (progressing(d.path("status"), status)) {
                ObjectNode c = condition("Progressing", "True", "ReplicaSetUpdated", subject + " is progressing.");
                if (current != null) {
                    if (current.path("status").asText().equals("True")) {
                        c.set("lastTransitionTime", current.get("lastTransitionTime"));
                    }
                    removeCondition(status, "Progressing");
                }
                setCondition(status, c);
            } else if (timedOut(d, current)) {
                setCondition(
                        status,
                        condition(
                                "Progressing",
                                "False",
                                "ProgressDeadlineExceeded",
                                subject + " has timed out progressing."));
            }
        }
        return writeStatus(s, status).compose(v -> {
            requeueStuck(s);
            return Future.<Void>succeededFuture();
        });
    }

    /** DeploymentProgressing. */
    private static boolean progressing(JsonNode old, JsonNode now) {
        int oldOld = old.path("replicas").asInt() - old.path("updatedReplicas").asInt();
        int newOld = now.path("replicas").asInt() - now.path("updatedReplicas").asInt();
        return now.path("updatedReplicas").asInt() > old.path("updatedReplicas").asInt()
                || newOld < oldOld
                || now.path("readyReplicas").asInt() > old.path("readyReplicas").asInt()
                || now.path("availableReplicas").asInt()
                        > old.path("availableReplicas").asInt();
    }

    private boolean timedOut(JsonNode d, JsonNode current) {
        if (current == null) {
            return false;
        }
        if (current.path("reason").asText().equals("ProgressDeadlineExceeded")) {
            return true;
        }
        Instant last = Instant.parse(current.path("lastUpdateTime").asText());
        long deadline = d.path("spec").path("progressDeadlineSeconds").asLong();
        return last.plusSeconds(deadline).isBefore(registry.clock().instant());
    }

    /** requeueStuckDeployment: look again when the progress deadline passes. */
    private void requeueStuck(State s) {
        JsonNode c = findCondition(s.d.path("status"), "Progressing");
        if (c == null
                || !hasProgressDeadline(s.d)
                || !c.path("reason").asText().equals("ReplicaSetUpdated")
                        && !c.path("reason").asText().equals("NewReplicaSetCreated")) {
            return;
        }
        Instant due = Instant.parse(c.path("lastUpdateTime").asText())
                .plusSeconds(s.d.path("spec").path("progressDeadlineSeconds").asLong());
        long ms = Duration.between(registry.clock().instant(), due).toMillis() + 1000;
        if (ms > 0) {
            enqueueAfter(PodTemplates.namespace(s.d) + "/" + PodTemplates.name(s.d), ms);
        }
    }

    /** The status as written: Go's omitempty drops zero counts. */
    private Future<Void> writeStatus(State s, ObjectNode status) {
        for (String f :
                List.of("replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas")) {
            if (status.path(f).asInt() == 0) {
                status.remove(f);
            }
        }
        if (status.equals(s.d.path("status"))) {
            return Future.succeededFuture();
        }
        ObjectNode copy = s.d.deepCopy();
        copy.set("status", status);
        return registry.update(
                        deployments(),
                        PodTemplates.namespace(copy),
                        PodTemplates.name(copy),
                        copy,
                        "status",
                        identity,
                        false)
                .map(updated -> {
                    updated.put("apiVersion", "apps/v1");
                    updated.put("kind", "Deployment");
                    s.d = updated;
                    return null;
                });
    }
}
