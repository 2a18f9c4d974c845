package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.registry.Deleter;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.Meta;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The StatefulSet controller (pkg/controller/statefulset: stateful_set_control.go, stateful_set_utils.go,
 * stateful_pod_control.go), for pods that never run: keeps the ControllerRevision {@code <set>-<hash>} of the
 * template (history.HashControllerRevision: FNV-1 32 of the revision's JSON with the collision count appended,
 * rand.SafeEncodeString), creates pods {@code <set>-<ordinal>} with the {@code controller-revision-hash},
 * {@code statefulset.kubernetes.io/pod-name} and {@code apps.kubernetes.io/pod-index} labels, hostname and subdomain,
 * and their claims {@code <claim>-<set>-<ordinal>} from volumeClaimTemplates (owned by the set under
 * {@code whenDeleted: Delete}); OrderedReady creates the next ordinal only once the previous pods are Running and
 * Ready (so with Pending pods only the first exists), Parallel creates them all; scale-down deletes from the highest
 * ordinal (one at a time under OrderedReady); writes the status and the reference's Events.
 */
final class StatefulSetController extends QueueController {
    static final String NAME = "statefulset-controller";
    static final String REVISION_LABEL = "controller-revision-hash";
    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    static final String HASH_LABEL = "controller.kubernetes.io/hash";
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final ResourceKey SETS = new ResourceKey("apps", "statefulsets");
    private static final ResourceKey PODS = new ResourceKey("", "pods");
    private static final ResourceKey REVISIONS = new ResourceKey("apps", "controllerrevisions");
    private static final ResourceKey CLAIMS = new ResourceKey("", "persistentvolumeclaims");

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final EventRecorder events;

    StatefulSetController(Vertx vertx, GenericRegistry registry, Clock clock) {
        super(vertx, registry, NAME);
        this.events = new EventRecorder(registry, NAME, identity, clock);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(
                        SETS,
                        (type, set) -> type == WatchEvent.Type.DELETED ? List.of() : List.of(PodTemplates.key(set))),
                new Source(PODS, (type, pod) -> PodTemplates.controllerKey(pod, "StatefulSet")));
    }

    private ServedResource served(String group, String resource) {
        return registry.catalog().lookup(group, "v1", resource).orElseThrow();
    }

    @Override
    protected Future<Void> sync(String key) {
        String namespace = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        return registry.get(served("apps", "statefulsets"), namespace, name)
                .compose(set -> registry.storage()
                        .list(PODS, namespace)
                        .compose(pods -> registry.storage()
                                .list(REVISIONS, namespace)
                                .compose(revisions -> syncSet(
                                        set, controlled(pods.items(), set), controlled(revisions.items(), set)))))
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private static List<ObjectNode> controlled(List<ObjectNode> objects, ObjectNode owner) {
        String uid = owner.path("metadata").path("uid").asText();
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : objects) {
            for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
                if (ref.path("controller").asBoolean()
                        && uid.equals(ref.path("uid").asText())) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    /**
     * UpdateStatefulSet: the update revision (created, or an equal older one raised to the next number: a rollback),
     * the current revision (status.currentRevision, else the update one), the pods, the status, then
     * truncateHistory.
     */
    private Future<Void> syncSet(ObjectNode set, List<ObjectNode> pods, List<ObjectNode> revisions) {
        String setName = set.path("metadata").path("name").asText();
        int collisionCount = set.path("status").path("collisionCount").asInt(0);
        String data = revisionData(set);
        String hash = hash(data, collisionCount);
        String revisionName = revisionName(setName, hash);
        List<ObjectNode> sorted = new ArrayList<>(revisions);
        sorted.sort(REVISION_ORDER);
        long next = sorted.isEmpty()
                ? 1
                : sorted.get(sorted.size() - 1).path("revision").asLong() + 1;
        ObjectNode equal = null;
        for (ObjectNode r : sorted) {
            if (revisionName.equals(r.path("metadata").path("name").asText())) {
                equal = r;
            }
        }
        Future<String> updateRevision;
        if (equal == null) {
            updateRevision = createRevision(set, revisionName, hash, data, next);
        } else if (equal != sorted.get(sorted.size() - 1)) {
            updateRevision = raiseRevision(equal, next);
        } else {
            updateRevision = Future.succeededFuture(revisionName);
        }
        String statusCurrent = set.path("status").path("currentRevision").asText("");
        ObjectNode current = null;
        for (ObjectNode r : sorted) {
            if (!statusCurrent.isEmpty()
                    && statusCurrent.equals(r.path("metadata").path("name").asText())) {
                current = r;
            }
        }
        ObjectNode currentRevision = current;
        return updateRevision.compose(update -> {
            Revisions versions = currentRevision == null
                    ? new Revisions(update, set.path("spec").path("template"), update)
                    : new Revisions(
                            currentRevision.path("metadata").path("name").asText(),
                            currentRevision.path("data").path("spec").path("template"),
                            update);
            return managePods(set, pods, versions)
                    .compose(outcome -> writeStatus(set, outcome, versions))
                    .compose(v -> truncateHistory(set, pods, sorted, versions));
        });
    }

    /** The current revision's name and pod template, and the update revision's name. */
    private record Revisions(String current, JsonNode currentTemplate, String update) {}

    /** The pods after a sync, and whether one was deleted for the update (counted out of currentReplicas). */
    private record Outcome(List<ObjectNode> pods, int deletedForUpdate) {}

    /** history.SortControllerRevisions: by revision, then creation time, then name. */
    private static final Comparator<ObjectNode> REVISION_ORDER = Comparator.<ObjectNode>comparingLong(
                    r -> r.path("revision").asLong())
            .thenComparing(r -> r.path("metadata").path("creationTimestamp").asText(""))
            .thenComparing(r -> r.path("metadata").path("name").asText(""));

    /** UpdateControllerRevision: an equal older revision becomes the newest (a rollback). */
    private Future<String> raiseRevision(ObjectNode revision, long next) {
        ObjectNode raised = revision.deepCopy();
        raised.put("revision", next);
        String name = revision.path("metadata").path("name").asText();
        return registry.update(
                        served("apps", "controllerrevisions"),
                        revision.path("metadata").path("namespace").asText(),
                        name,
                        raised,
                        "",
                        identity,
                        false)
                .map(name);
    }

    /**
     * truncateHistory: revisions that are neither current, update, nor any pod's are deleted oldest first until
     * revisionHistoryLimit remain ({@code revisions} sorted, as listed before this sync created one).
     */
    private Future<Void> truncateHistory(
            ObjectNode set, List<ObjectNode> pods, List<ObjectNode> revisions, Revisions versions) {
        int limit = set.path("spec").path("revisionHistoryLimit").asInt(10);
        Set<String> live = new HashSet<>(List.of(versions.current(), versions.update()));
        for (ObjectNode pod : pods) {
            live.add(pod.path("metadata").path("labels").path(REVISION_LABEL).asText(""));
        }
        List<ObjectNode> history = new ArrayList<>();
        for (ObjectNode r : revisions) {
            if (!live.contains(r.path("metadata").path("name").asText())) {
                history.add(r);
            }
        }
        if (limit < 0 || history.size() <= limit) {
            return Future.succeededFuture();
        }
        Deleter deleter = new Deleter(registry);
        Future<Void> work = Future.succeededFuture();
        for (ObjectNode r : history.subList(0, history.size() - limit)) {
            work = work.compose(v -> deleter.delete(
                            served("apps", "controllerrevisions"),
                            r.path("metadata").path("namespace").asText(),
                            r.path("metadata").path("name").asText(),
                            Deleter.Options.defaults(),
                            identity)
                    .<Void>mapEmpty()
                    .recover(
                            e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e)));
        }
        return work;
    }

    /** getPatch: the template, with {@code $patch: replace}, under spec.template; keys sorted as Go marshals a map. */
    static String revisionData(ObjectNode set) {
        ObjectNode template = set.path("spec").path("template").deepCopy();
        template.put("$patch", "replace");
        ObjectNode patch = set.objectNode();
        patch.putObject("spec").set("template", template);
        try {
            return GoJson.mapper().writeValueAsString(Meta.sortKeys(patch));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** history.HashControllerRevision with the collision count as probe: FNV-1 (hash/fnv New32), then SafeEncodeString. */
    static String hash(String data, int collisionCount) {
        int h = 0x811c9dc5;
        for (byte b : (data + collisionCount).getBytes(StandardCharsets.UTF_8)) {
            h *= 0x01000193;
            h ^= b & 0xff;
        }
        String decimal = Long.toString(Integer.toUnsignedLong(h));
        StringBuilder out = new StringBuilder();
        for (char c : decimal.toCharArray()) {
            out.append(ALPHANUMS.charAt(c % ALPHANUMS.length()));
        }
        return out.toString();
    }

    static String revisionName(String prefix, String hash) {
        return (prefix.length() > 223 ? prefix.substring(0, 223) : prefix) + "-" + hash;
    }

    private Future<String> createRevision(ObjectNode set, String name, String hash, String data, long revision) {
        ObjectNode setMeta = (ObjectNode) set.get("metadata");
        ObjectNode cr = set.objectNode();
        cr.put("apiVersion", "apps/v1").put("kind", "ControllerRevision");
        ObjectNode meta = cr.putObject("metadata");
        meta.put("name", name);
        ObjectNode labels = meta.putObject("labels");
        set.path("spec")
                .path("template")
                .path("metadata")
                .path("labels")
                .properties()
                .forEach(e -> labels.set(e.getKey(), e.getValue()));
        labels.put(HASH_LABEL, hash);
        if (setMeta.has("annotations")) {
            meta.set("annotations", setMeta.get("annotations").deepCopy());
        }
        meta.putArray("ownerReferences").add(controllerRef(set));
        try {
            cr.set("data", GoJson.mapper().readTree(data));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        cr.put("revision", revision);
        return registry.create(
                        served("apps", "controllerrevisions"),
                        setMeta.path("namespace").asText(),
                        cr,
                        identity,
                        false)
                .map(name)
                .recover(e ->
                        ControllerIdentity.isAlreadyExists(e) ? Future.succeededFuture(name) : Future.failedFuture(e));
    }

    private static ObjectNode controllerRef(ObjectNode set) {
        return PodTemplates.controllerRef("apps/v1", "StatefulSet", set);
    }

    /**
     * updateStatefulSet's pod work: creates missing ordinals (below the partition at the current revision, from its
     * template; the rest at the update revision), deletes condemned ones, then under RollingUpdate deletes the
     * highest ordinal at or above the partition that is not on the update revision, stopping at the first pod that
     * is not Running and Ready (so with Pending pods one pod at a time, and only while it is the highest). Monotonic
     * (OrderedReady) stops at the first pod not Running and Ready before any of that.
     */
    private Future<Outcome> managePods(ObjectNode set, List<ObjectNode> pods, Revisions versions) {
        JsonNode spec = set.path("spec");
        String setName = set.path("metadata").path("name").asText();
        int replicas = spec.path("replicas").asInt(1);
        int start = spec.path("ordinals").path("start").asInt(0);
        boolean parallel = "Parallel".equals(spec.path("podManagementPolicy").asText());
        boolean rolling =
                !"OnDelete".equals(spec.path("updateStrategy").path("type").asText("RollingUpdate"));
        int partition = spec.path("updateStrategy")
                .path("rollingUpdate")
                .path("partition")
                .asInt(0);
        Map<Integer, ObjectNode> byOrdinal = new HashMap<>();
        List<ObjectNode> condemned = new ArrayList<>();
        for (ObjectNode pod : pods) {
            int ordinal = ordinal(setName, pod.path("metadata").path("name").asText());
            if (ordinal >= start && ordinal < start + replicas) {
                byOrdinal.put(ordinal, pod);
            } else if (ordinal >= 0) {
                condemned.add(pod);
            }
        }
        List<ObjectNode> live = new ArrayList<>(pods);
        Future<Void> work = Future.succeededFuture();
        for (int ordinal = start; ordinal < start + replicas; ordinal++) {
            ObjectNode pod = byOrdinal.get(ordinal);
            if (pod == null) {
                // newVersionedStatefulSetPod
                boolean atCurrent = rolling && ordinal < start + partition;
                ObjectNode fresh = atCurrent
                        ? newPod(set, versions.currentTemplate(), ordinal, versions.current())
                        : newPod(set, set.path("spec").path("template"), ordinal, versions.update());
                work = work.compose(v -> createClaims(set, fresh)
                        .compose(x -> createPod(set, fresh))
                        .map(created -> {
                            live.add(created);
                            return null;
                        }));
                if (!parallel) {
                    return work.map(new Outcome(live, 0));
                }
            } else if (!parallel
                    && (!runningAndReady(pod) || pod.path("metadata").has("deletionTimestamp"))) {
                // monotonic: wait for this ordinal before the next
                return work.map(new Outcome(live, 0));
            }
        }
        condemned.sort((a, b) -> Integer.compare(
                ordinal(setName, b.path("metadata").path("name").asText()),
                ordinal(setName, a.path("metadata").path("name").asText())));
        for (ObjectNode pod : condemned) {
            if (pod.path("metadata").has("deletionTimestamp")) {
                if (!parallel) {
                    return work.map(new Outcome(live, 0));
                }
                continue;
            }
            work = work.compose(v -> deletePod(set, pod, true));
            if (!parallel) {
                return work.map(new Outcome(live, 0));
            }
        }
        if (!rolling) {
            return work.map(new Outcome(live, 0)); // OnDelete: pods change when deleted by hand
        }
        for (int ordinal = start + replicas - 1; ordinal >= start + partition; ordinal--) {
            ObjectNode pod = byOrdinal.get(ordinal);
            if (pod == null) {
                break; // created in this sync: not available yet
            }
            boolean terminating = pod.path("metadata").has("deletionTimestamp");
            String revision =
                    pod.path("metadata").path("labels").path(REVISION_LABEL).asText("");
            if (!revision.equals(versions.update()) && !terminating) {
                return work.compose(v -> deletePod(set, pod, false)).map(new Outcome(live, 1));
            }
            if (terminating || !runningAndReady(pod)) {
                break;
            }
        }
        return work.map(new Outcome(live, 0));
    }

    static int ordinal(String setName, String podName) {
        if (!podName.startsWith(setName + "-")) {
            return -1;
        }
        try {
            return Integer.parseInt(podName.substring(setName.length() + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** newVersionedStatefulSetPod: GetPodFromTemplate, identity, storage, the revision label. */
    private static ObjectNode newPod(ObjectNode set, JsonNode template, int ordinal, String revision) {
        String setName = set.path("metadata").path("name").asText();
        String podName = setName + "-" + ordinal;
        ObjectNode pod = PodTemplates.pod(template, setName + "-", controllerRef(set));
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        meta.put("name", podName);
        ObjectNode labels = meta.with("labels");
        labels.put(POD_NAME_LABEL, podName);
        labels.put(POD_INDEX_LABEL, String.valueOf(ordinal));
        labels.put(REVISION_LABEL, revision);
        ObjectNode spec = (ObjectNode) pod.get("spec");
        spec.put("hostname", podName);
        String service = set.path("spec").path("serviceName").asText("");
        if (!service.isEmpty()) {
            spec.put("subdomain", service);
        }
        JsonNode claims = set.path("spec").path("volumeClaimTemplates");
        if (!claims.isEmpty()) {
            ArrayNode volumes = spec.arrayNode();
            List<String> claimNames = new ArrayList<>();
            for (JsonNode claim : claims) {
                String claimName = claim.path("metadata").path("name").asText();
                claimNames.add(claimName);
                volumes.addObject()
                        .put("name", claimName)
                        .putObject("persistentVolumeClaim")
                        .put("claimName", claimName + "-" + podName);
            }
            for (JsonNode v : spec.path("volumes")) {
                if (!claimNames.contains(v.path("name").asText())) {
                    volumes.add(v);
                }
            }
            spec.set("volumes", volumes);
        }
        return pod;
    }

    /** createPersistentVolumeClaims: each claim the pod mounts, unless it exists. */
    private Future<Void> createClaims(ObjectNode set, ObjectNode pod) {
        String namespace = set.path("metadata").path("namespace").asText();
        String podName = pod.path("metadata").path("name").asText();
        String setName = set.path("metadata").path("name").asText();
        boolean ownedBySet = "Delete"
                .equals(set.path("spec")
                        .path("persistentVolumeClaimRetentionPolicy")
                        .path("whenDeleted")
                        .asText());
        Future<Void> work = Future.succeededFuture();
        for (JsonNode template : set.path("spec").path("volumeClaimTemplates")) {
            ObjectNode claim = template.deepCopy();
            claim.put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
            claim.remove("status");
            ObjectNode meta = claim.with("metadata");
            String claimName = meta.path("name").asText() + "-" + podName;
            meta.put("name", claimName);
            ObjectNode labels = meta.with("labels");
            set.path("spec")
                    .path("selector")
                    .path("matchLabels")
                    .properties()
                    .forEach(e -> labels.set(e.getKey(), e.getValue()));
            if (ownedBySet) {
                meta.putArray("ownerReferences").add(controllerRef(set));
            }
            ServedResource claims = served("", "persistentvolumeclaims");
            work = work.compose(v -> registry.get(claims, namespace, claimName)
                    .<Void>mapEmpty()
                    .recover(missing -> !ControllerIdentity.isNotFound(missing)
                            ? Future.failedFuture(missing)
                            : registry.create(claims, namespace, claim, identity, false)
                                    .compose(c -> events.event(
                                            set,
                                            "apps/v1",
                                            EventRecorder.NORMAL,
                                            "SuccessfulCreate",
                                            "create Claim " + claimName + " Pod " + podName + " in StatefulSet "
                                                    + setName + " success"))));
        }
        return work;
    }

    private Future<ObjectNode> createPod(ObjectNode set, ObjectNode pod) {
        String namespace = set.path("metadata").path("namespace").asText();
        String podName = pod.path("metadata").path("name").asText();
        String setName = set.path("metadata").path("name").asText();
        return registry.create(served("", "pods"), namespace, pod, identity, false)
                .compose(created -> events.event(
                                set,
                                "apps/v1",
                                EventRecorder.NORMAL,
                                "SuccessfulCreate",
                                "create Pod " + podName + " in StatefulSet " + setName + " successful")
                        .map(created));
    }

    /**
     * Deletes a pod; a condemned one (scale-down) with its claims when {@code whenScaled: Delete} (upstream has the
     * GC do it).
     */
    private Future<Void> deletePod(ObjectNode set, ObjectNode pod, boolean condemned) {
        String namespace = set.path("metadata").path("namespace").asText();
        String podName = pod.path("metadata").path("name").asText();
        String setName = set.path("metadata").path("name").asText();
        boolean claimsGo = condemned
                && "Delete"
                        .equals(set.path("spec")
                                .path("persistentVolumeClaimRetentionPolicy")
                                .path("whenScaled")
                                .asText());
        Deleter deleter = new Deleter(registry);
        Future<Void> work = deleter.delete(served("", "pods"), namespace, podName, Deleter.Options.defaults(), identity)
                .compose(r -> events.event(
                        set,
                        "apps/v1",
                        EventRecorder.NORMAL,
                        "SuccessfulDelete",
                        "delete Pod " + podName + " in StatefulSet " + setName + " successful"))
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
        if (claimsGo) {
            for (JsonNode template : set.path("spec").path("volumeClaimTemplates")) {
                String claimName = template.path("metadata").path("name").asText() + "-" + podName;
                work = work.compose(v -> deleter.delete(
                                served("", "persistentvolumeclaims"),
                                namespace,
                                claimName,
                                Deleter.Options.defaults(),
                                identity)
                        .<Void>mapEmpty()
                        .recover(e ->
                                ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e)));
            }
        }
        return work;
    }

    /** updateStatus, completeRollingUpdate, then the write when anything changed. */
    private Future<Void> writeStatus(ObjectNode set, Outcome outcome, Revisions versions) {
        ObjectNode old = set.path("status").isObject() ? (ObjectNode) set.get("status") : set.objectNode();
        String current = versions.current();
        String updateRevision = versions.update();
        int updated = 0;
        int ready = 0;
        int currentCount = 0;
        int created = 0;
        for (ObjectNode pod : outcome.pods()) {
            created++;
            boolean terminating = pod.path("metadata").has("deletionTimestamp");
            String rev =
                    pod.path("metadata").path("labels").path(REVISION_LABEL).asText();
            if (rev.equals(updateRevision) && !terminating) {
                updated++;
            }
            if (rev.equals(current) && !terminating) {
                currentCount++;
            }
            if (runningAndReady(pod)) {
                ready++;
            }
        }
        currentCount -= outcome.deletedForUpdate();
        int replicas = set.path("spec").path("replicas").asInt(1);
        // completeRollingUpdate
        if (!"OnDelete"
                        .equals(set.path("spec")
                                .path("updateStrategy")
                                .path("type")
                                .asText("RollingUpdate"))
                && updated == replicas
                && ready == replicas
                && created == replicas) {
            current = updateRevision;
            currentCount = updated;
        }
        List<ObjectNode> pods = outcome.pods();
        ObjectNode status = set.objectNode();
        status.put("observedGeneration", set.path("metadata").path("generation").asLong());
        status.put("replicas", pods.size());
        if (ready > 0) {
            status.put("readyReplicas", ready);
        }
        if (currentCount > 0) {
            status.put("currentReplicas", currentCount);
        }
        if (updated > 0) {
            status.put("updatedReplicas", updated);
        }
        status.put("currentRevision", current);
        status.put("updateRevision", updateRevision);
        status.put("collisionCount", old.path("collisionCount").asInt(0));
        status.put("availableReplicas", ready);
        if (Meta.sortKeys(status.deepCopy()).equals(Meta.sortKeys(old.deepCopy()))) {
            return Future.succeededFuture();
        }
        ObjectNode updatedSet = set.deepCopy();
        updatedSet.set("status", status);
        return registry.update(
                        served("apps", "statefulsets"),
                        set.path("metadata").path("namespace").asText(),
                        set.path("metadata").path("name").asText(),
                        updatedSet,
                        "status",
                        identity,
                        false)
                .<Void>mapEmpty()
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** podutil.IsPodReady on a Running pod (isRunningAndReady). */
    private static boolean runningAndReady(ObjectNode pod) {
        return "Running".equals(pod.path("status").path("phase").asText()) && PodTemplates.isReady(pod);
    }
}
