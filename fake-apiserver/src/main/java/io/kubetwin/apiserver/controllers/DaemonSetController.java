package io.kubetwin.apiserver.controllers;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemonset controller (pkg/controller/daemon): per DaemonSet, the ControllerRevision {@code <ds>-<hash>} of its
 * template (ComputeHash, as for Deployments: {@link GoDeepHash}; data the strategic patch replacing
 * {@code spec.template}), then one pod per Node the daemon should run on (the template's nodeSelector, and every
 * NoSchedule/NoExecute taint tolerated by the template's tolerations plus those the controller adds), pinned by
 * {@code spec.affinity.nodeAffinity} matchFields {@code metadata.name} (not nodeName), with the
 * {@code controller-revision-hash} and {@code pod-template-generation} labels and the daemon tolerations; pods on nodes
 * they should not run on, extra pods on one node and, on a template change, pods of the old revision that are not
 * available (all of them while pods stay Pending; available ones as maxUnavailable allows) are
 * deleted; under RollingUpdate with maxSurge a new pod starts beside an old one that is not available, which
 * goes once the new pod exists (not Ready) or is available; OnDelete replaces nothing; old ControllerRevisions
 * beyond revisionHistoryLimit are deleted; then the status. Not done: required nodeAffinity terms of the template
 * other than the controller's own, and failed-pod backoff.
 */
final class DaemonSetController extends QueueController {
    static final String NAME = "daemon-set-controller";
    private static final String COMPONENT = "daemonset-controller";
    static final String HASH_LABEL = "controller-revision-hash";
    private static final ResourceKey DAEMON_SETS = new ResourceKey("apps", "daemonsets");
    private static final ResourceKey NODES = new ResourceKey("", "nodes");
    private static final ResourceKey PODS = new ResourceKey("", "pods");
    private static final ResourceKey REVISIONS = new ResourceKey("apps", "controllerrevisions");

    /** AddOrUpdateDaemonPodTolerations, in upstream's order. */
    private static final List<String[]> DAEMON_TOLERATIONS = List.of(
            new String[] {"node.kubernetes.io/not-ready", "NoExecute"},
            new String[] {"node.kubernetes.io/unreachable", "NoExecute"},
            new String[] {"node.kubernetes.io/disk-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/memory-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/pid-pressure", "NoSchedule"},
            new String[] {"node.kubernetes.io/unschedulable", "NoSchedule"});

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final EventRecorder events = new EventRecorder(registry, COMPONENT, identity);
    private final ControllerRefs refs = new ControllerRefs(registry, identity);
    private final Set<String> keys = ConcurrentHashMap.newKeySet();

    DaemonSetController(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, NAME);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(DAEMON_SETS, (type, ds) -> {
                    String key = PodTemplates.namespace(ds) + "/" + PodTemplates.name(ds);
                    if (type == WatchEvent.Type.DELETED) {
                        keys.remove(key);
                        return List.of();
                    }
                    keys.add(key);
                    return List.of(key);
                }),
                new Source(NODES, (type, node) -> List.copyOf(keys)),
                new Source(PODS, (type, pod) -> {
                    JsonNode ref = PodTemplates.controllerOf(pod);
                    if (ref != null) {
                        return ref.path("kind").asText().equals("DaemonSet")
                                ? List.of(PodTemplates.namespace(pod) + "/"
                                        + ref.path("name").asText())
                                : List.of();
                    }
                    String prefix = PodTemplates.namespace(pod) + "/";
                    return keys.stream().filter(k -> k.startsWith(prefix)).toList();
                }));
    }

    private ServedResource served(String group, String resource) {
        return registry.catalog().lookup(group, "v1", resource).orElseThrow();
    }

    @Override
    protected Future<Void> sync(String key) {
        int slash = key.indexOf('/');
        String namespace = key.substring(0, slash);
        String name = key.substring(slash + 1);
        return registry.get(served("apps", "daemonsets"), namespace, name)
                .compose(ds -> {
                    ds.put("apiVersion", "apps/v1");
                    ds.put("kind", "DaemonSet");
                    JsonNode template = ds.path("spec").path("template");
                    String hash = GoDeepHash.podTemplateHash(
                            template,
                            ds.path("status").has("collisionCount")
                                    ? ds.path("status").path("collisionCount").asInt()
                                    : null);
                    LabelSelector selector =
                            PodTemplates.selector(ds.path("spec").path("selector"));
                    Future<Void> revision = ds.path("metadata").has("deletionTimestamp")
                            ? Future.succeededFuture()
                            : snapshot(ds, hash);
                    return revision.compose(v -> registry.storage().list(NODES, null))
                            .compose(nodes -> registry.storage()
                                    .list(PODS, namespace)
                                    .compose(pods -> refs.claim(
                                                    served("", "pods"),
                                                    ds,
                                                    selector,
                                                    pods.items().stream()
                                                            .filter(p -> !p.path("metadata")
                                                                    .has("deletionTimestamp"))
                                                            .toList())
                                            .compose(owned -> manage(ds, hash, nodes.items(), owned))
                                            .compose(v -> ds.path("metadata").has("deletionTimestamp")
                                                    ? Future.<Void>succeededFuture()
                                                    : cleanupHistory(ds, hash, pods.items()))));
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** snapshot: the ControllerRevision of the current template, created with the next revision number. */
    private Future<Void> snapshot(ObjectNode ds, String hash) {
        ServedResource revisions = served("apps", "controllerrevisions");
        String namespace = PodTemplates.namespace(ds);
        String name = PodTemplates.name(ds) + "-" + hash;
        return registry.get(revisions, namespace, name).<Void>mapEmpty().recover(missing -> {
            if (!ControllerIdentity.isNotFound(missing)) {
                return Future.failedFuture(missing);
            }
            return registry.storage().list(REVISIONS, namespace).compose(list -> {
                long max = 0;
                for (ObjectNode cr : list.items()) {
                    JsonNode ref = PodTemplates.controllerOf(cr);
                    if (ref != null && ref.path("uid").asText().equals(PodTemplates.uid(ds))) {
                        max = Math.max(max, cr.path("revision").asLong());
                    }
                }
                ObjectNode cr = JsonNodeFactory.instance.objectNode();
                cr.put("apiVersion", "apps/v1");
                cr.put("kind", "ControllerRevision");
                ObjectNode meta = cr.putObject("metadata");
                meta.put("name", name);
                meta.put("namespace", namespace);
                ObjectNode labels = ds.path("spec")
                                .path("template")
                                .path("metadata")
                                .path("labels")
                                .isObject()
                        ? ((ObjectNode) ds.path("spec")
                                        .path("template")
                                        .path("metadata")
                                        .path("labels"))
                                .deepCopy()
                        : JsonNodeFactory.instance.objectNode();
                labels.put(HASH_LABEL, hash);
                meta.set("labels", labels);
                if (ds.path("metadata").has("annotations")) {
                    meta.set(
                            "annotations",
                            ds.path("metadata").get("annotations").deepCopy());
                }
                meta.putArray("ownerReferences").add(PodTemplates.controllerRef(ds));
                ObjectNode template = ds.path("spec").path("template").deepCopy();
                ObjectNode data = JsonNodeFactory.instance.objectNode();
                ObjectNode patched = JsonNodeFactory.instance.objectNode();
                patched.put("$patch", "replace");
                template.fields().forEachRemaining(e -> patched.set(e.getKey(), e.getValue()));
                data.putObject("spec").set("template", patched);
                // the patch as encoding/json writes a map: keys sorted at every level
                cr.set("data", io.kubetwin.apiserver.registry.Meta.sortKeys(data));
                cr.put("revision", max + 1);
                return registry.create(revisions, namespace, cr, identity, false)
                        .<Void>mapEmpty()
                        .recover(e -> ControllerIdentity.isAlreadyExists(e)
                                ? Future.succeededFuture()
                                : Future.failedFuture(e));
            });
        });
    }

    /**
     * cleanupHistory: the revisions other than the current one beyond revisionHistoryLimit are deleted, lowest
     * revision first, skipping those whose hash a pod of the set still carries (deleted pods included).
     */
    private Future<Void> cleanupHistory(ObjectNode ds, String hash, List<ObjectNode> pods) {
        String namespace = PodTemplates.namespace(ds);
        String uid = PodTemplates.uid(ds);
        String currentName = PodTemplates.name(ds) + "-" + hash;
        int limit = ds.path("spec").path("revisionHistoryLimit").asInt(10);
        Set<String> liveHashes = new java.util.HashSet<>();
        for (ObjectNode pod : pods) {
            JsonNode ref = PodTemplates.controllerOf(pod);
            String podHash = PodTemplates.labels(pod).get(HASH_LABEL);
            if (ref != null && uid.equals(ref.path("uid").asText()) && podHash != null && !podHash.isEmpty()) {
                liveHashes.add(podHash);
            }
        }
        return registry.storage().list(REVISIONS, namespace).compose(list -> {
            List<ObjectNode> old = new ArrayList<>();
            for (ObjectNode cr : list.items()) {
                JsonNode ref = PodTemplates.controllerOf(cr);
                if (ref != null && uid.equals(ref.path("uid").asText()) && !currentName.equals(PodTemplates.name(cr))) {
                    old.add(cr);
                }
            }
            int toKill = old.size() - limit;
            if (toKill <= 0) {
                return Future.succeededFuture();
            }
            old.sort(Comparator.comparingLong(cr -> cr.path("revision").asLong()));
            Deleter deleter = new Deleter(registry);
            Future<Void> work = Future.succeededFuture();
            for (ObjectNode cr : old) {
                if (toKill <= 0) {
                    break;
                }
                if (liveHashes.contains(PodTemplates.labels(cr).get(HASH_LABEL))) {
                    continue;
                }
                toKill--;
                work = work.compose(v -> deleter.delete(
                                served("apps", "controllerrevisions"),
                                namespace,
                                PodTemplates.name(cr),
                                Deleter.Options.defaults(),
                                identity)
                        .<Void>mapEmpty()
                        .recover(e ->
                                ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e)));
            }
            return work;
        });
    }

    /** The node a daemon pod is for: its nodeName, else the controller's matchFields metadata.name term. */
    private static String targetNode(JsonNode pod) {
        String nodeName = pod.path("spec").path("nodeName").asText();
        if (!nodeName.isEmpty()) {
            return nodeName;
        }
        for (JsonNode term : pod.path("spec")
                .path("affinity")
                .path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution")
                .path("nodeSelectorTerms")) {
            for (JsonNode f : term.path("matchFields")) {
                if (f.path("key").asText().equals("metadata.name")
                        && f.path("operator").asText().equals("In")
                        && f.path("values").size() == 1) {
                    return f.path("values").get(0).asText();
                }
            }
        }
        return "";
    }

    /** The pod the controller would create for a node: the template with its labels, affinity and tolerations. */
    private static ObjectNode daemonPod(ObjectNode ds, String hash, String node) {
        ObjectNode template = ds.path("spec").path("template").deepCopy();
        ObjectNode meta =
                template.has("metadata") ? (ObjectNode) template.get("metadata") : template.putObject("metadata");
        ObjectNode labels = meta.has("labels") ? (ObjectNode) meta.get("labels") : meta.putObject("labels");
        labels.put(HASH_LABEL, hash);
        labels.put(
                "pod-template-generation",
                ds.path("metadata").path("generation").asText());
        ObjectNode spec = template.has("spec") ? (ObjectNode) template.get("spec") : template.putObject("spec");
        ObjectNode affinity = spec.has("affinity") ? (ObjectNode) spec.get("affinity") : spec.putObject("affinity");
        ObjectNode nodeAffinity = affinity.has("nodeAffinity")
                ? (ObjectNode) affinity.get("nodeAffinity")
                : affinity.putObject("nodeAffinity");
        ObjectNode required = nodeAffinity.has("requiredDuringSchedulingIgnoredDuringExecution")
                ? (ObjectNode) nodeAffinity.get("requiredDuringSchedulingIgnoredDuringExecution")
                : nodeAffinity.putObject("requiredDuringSchedulingIgnoredDuringExecution");
        ArrayNode terms = required.has("nodeSelectorTerms")
                        && !required.get("nodeSelectorTerms").isEmpty()
                ? (ArrayNode) required.get("nodeSelectorTerms")
                : required.putArray("nodeSelectorTerms");
        if (terms.isEmpty()) {
            terms.addObject();
        }
        // ReplaceDaemonSetPodNodeNameNodeAffinity: every term's matchFields become the node's name
        for (JsonNode term : terms) {
            ArrayNode fields = ((ObjectNode) term).putArray("matchFields");
            fields.addObject()
                    .put("key", "metadata.name")
                    .put("operator", "In")
                    .putArray("values")
                    .add(node);
        }
        ArrayNode tolerations =
                spec.has("tolerations") ? (ArrayNode) spec.get("tolerations") : spec.putArray("tolerations");
        List<String[]> added = new ArrayList<>(DAEMON_TOLERATIONS);
        if (spec.path("hostNetwork").asBoolean(false)) {
            added.add(new String[] {"node.kubernetes.io/network-unavailable", "NoSchedule"});
        }
        for (String[] t : added) {
            boolean present = false;
            for (JsonNode existing : tolerations) {
                if (existing.path("key").asText().equals(t[0])
                        && existing.path("effect").asText().equals(t[1])
                        && existing.path("operator").asText().equals("Exists")
                        && existing.path("value").asText().isEmpty()) {
                    present = true;
                }
            }
            if (!present) {
                tolerations
                        .addObject()
                        .put("key", t[0])
                        .put("operator", "Exists")
                        .put("effect", t[1]);
            }
        }
        return PodTemplates.pod(template, ds);
    }

    /** NodeShouldRunDaemonPod: the template's nodeSelector matches and every scheduling taint is tolerated. */
    private static boolean shouldRun(JsonNode podSpec, JsonNode node) {
        Map<String, String> labels = PodTemplates.labels(node);
        var it = podSpec.path("nodeSelector").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode taint : node.path("spec").path("taints")) {
            String effect = taint.path("effect").asText();
            if (!effect.equals("NoSchedule") && !effect.equals("NoExecute")) {
                continue;
            }
            boolean tolerated = false;
            for (JsonNode t : podSpec.path("tolerations")) {
                if (tolerates(t, taint)) {
                    tolerated = true;
                    break;
                }
            }
            if (!tolerated) {
                return false;
            }
        }
        return true;
    }

    /** v1.Toleration.ToleratesTaint. */
    private static boolean tolerates(JsonNode t, JsonNode taint) {
        String effect = t.path("effect").asText();
        if (!effect.isEmpty() && !effect.equals(taint.path("effect").asText())) {
            return false;
        }
        String key = t.path("key").asText();
        if (!key.isEmpty() && !key.equals(taint.path("key").asText())) {
            return false;
        }
        String operator = t.path("operator").asText("Equal");
        if (operator.equals("Exists")) {
            return true;
        }
        return (operator.isEmpty() || operator.equals("Equal"))
                && t.path("value").asText().equals(taint.path("value").asText());
    }

    /**
     * manage (podsShouldBeOnNode), then rollingUpdate when manage had nothing to do (upstream's expectations):
     * without surge, old pods that are not available are deleted at once and available ones as maxUnavailable
     * allows; with maxSurge, a new pod is created beside an old one that is not available (or, within maxSurge,
     * beside an available one), and manage then deletes the old pod once it is not Ready or the new one is
     * available. OnDelete leaves old pods alone.
     */
    private Future<Void> manage(ObjectNode ds, String hash, List<ObjectNode> nodes, List<ObjectNode> owned) {
        boolean deleting = ds.path("metadata").has("deletionTimestamp");
        Map<String, List<ObjectNode>> byNode = new HashMap<>();
        for (ObjectNode pod : owned) {
            byNode.computeIfAbsent(targetNode(pod), n -> new ArrayList<>()).add(pod);
        }
        Set<String> nodeNames = new java.util.HashSet<>();
        long minReady = ds.path("spec").path("minReadySeconds").asLong(0);
        Instant now = registry.clock().instant();
        JsonNode strategy = ds.path("spec").path("updateStrategy");
        boolean rolling = !"OnDelete".equals(strategy.path("type").asText("RollingUpdate"));
        List<String> toCreate = new ArrayList<>();
        List<ObjectNode> toDelete = new ArrayList<>();
        // per node that should run it: the oldest pod, the oldest new and oldest old pods
        Map<String, ObjectNode[]> rollable = new java.util.LinkedHashMap<>();
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int updated = 0;
        int available = 0;
        for (ObjectNode node : nodes) {
            String nodeName = PodTemplates.name(node);
            nodeNames.add(nodeName);
            JsonNode podSpec = daemonPod(ds, hash, nodeName).path("spec");
            boolean run = shouldRun(podSpec, node);
            List<ObjectNode> pods = new ArrayList<>(byNode.getOrDefault(nodeName, List.of()));
            pods.sort(Comparator.comparing(
                    p -> p.path("metadata").path("creationTimestamp").asText()));
            if (run) {
                desired++;
                if (pods.isEmpty()) {
                    toCreate.add(nodeName);
                    continue;
                }
                current++;
                ObjectNode oldest = pods.get(0);
                if (PodTemplates.isReady(oldest)) {
                    ready++;
                }
                if (PodTemplates.isAvailable(oldest, minReady, now)) {
                    available++;
                }
                if (hash.equals(PodTemplates.labels(oldest).get(HASH_LABEL))) {
                    updated++;
                }
                ObjectNode newest = null;
                ObjectNode old = null;
                if (surge(ds, 1) == 0) {
                    // without surge: all but the oldest go
                    toDelete.addAll(pods.subList(1, pods.size()));
                    if (hash.equals(PodTemplates.labels(oldest).get(HASH_LABEL))) {
                        newest = oldest;
                    } else {
                        old = oldest;
                    }
                } else {
                    // with surge: the oldest new and the oldest old pod may stay together
                    for (ObjectNode pod : pods) {
                        boolean isNew = hash.equals(PodTemplates.labels(pod).get(HASH_LABEL));
                        if (isNew && newest == null) {
                            newest = pod;
                        } else if (!isNew && old == null) {
                            old = pod;
                        } else {
                            toDelete.add(pod);
                        }
                    }
                    if (newest != null && old != null) {
                        if (!PodTemplates.isReady(old) || PodTemplates.isAvailable(newest, minReady, now)) {
                            toDelete.add(old);
                        }
                    }
                }
                rollable.put(nodeName, new ObjectNode[] {newest, old});
            } else if (!pods.isEmpty()) {
                misscheduled++;
                toDelete.addAll(pods);
            }
        }
        for (Map.Entry<String, List<ObjectNode>> e : byNode.entrySet()) {
            if (!nodeNames.contains(e.getKey())) {
                for (ObjectNode pod : e.getValue()) {
                    if (pod.path("spec").path("nodeName").asText().isEmpty()) {
                        toDelete.add(pod); // getUnscheduledPodsWithoutNode
                    }
                }
            }
        }
        if (rolling && toCreate.isEmpty() && toDelete.isEmpty()) {
            rollingUpdate(ds, desired, rollable, minReady, now, toCreate, toDelete);
        }
        List<Future<Void>> writes = new ArrayList<>();
        if (!deleting) {
            for (String node : toCreate) {
                writes.add(createPod(ds, hash, node));
            }
            for (ObjectNode pod : toDelete) {
                writes.add(deletePod(ds, pod));
            }
        }
        int numberReady = ready;
        int numberAvailable = available;
        int desiredCount = desired;
        int currentCount = current;
        int misscheduledCount = misscheduled;
        int updatedCount = updated;
        return Future.all(writes)
                .<Void>mapEmpty()
                .eventually(() -> writeStatus(
                        ds, desiredCount, currentCount, misscheduledCount, numberReady, updatedCount, numberAvailable));
    }

    /** The rolling update's maxSurge (scaled, rounded up) for {@code desired} nodes; 0 under OnDelete. */
    private static int surge(ObjectNode ds, int desired) {
        JsonNode strategy = ds.path("spec").path("updateStrategy");
        if ("OnDelete".equals(strategy.path("type").asText("RollingUpdate"))) {
            return 0;
        }
        JsonNode value = strategy.path("rollingUpdate").path("maxSurge");
        return value.isMissingNode() || value.isNull() ? 0 : DeploymentUtil.scaledValue(value, desired, true);
    }

    /**
     * rollingUpdate (update.go), on the nodes that have pods: {@code rollable} maps each to its new and old pod
     * (either may be null). Adds the nodes to create a surge pod on and the old pods to delete.
     */
    private static void rollingUpdate(
            ObjectNode ds,
            int desired,
            Map<String, ObjectNode[]> rollable,
            long minReady,
            Instant now,
            List<String> toCreate,
            List<ObjectNode> toDelete) {
        JsonNode unavailableValue =
                ds.path("spec").path("updateStrategy").path("rollingUpdate").path("maxUnavailable");
        int maxSurge = surge(ds, desired);
        int maxUnavailable = unavailableValue.isMissingNode() || unavailableValue.isNull()
                ? 0
                : DeploymentUtil.scaledValue(unavailableValue, desired, true);
        if (desired > 0 && maxSurge == 0 && maxUnavailable == 0) {
            maxUnavailable = 1;
        }
        if (maxSurge == 0) {
            int numUnavailable = 0;
            List<ObjectNode> candidates = new ArrayList<>();
            for (ObjectNode[] pair : rollable.values()) {
                ObjectNode newPod = pair[0];
                ObjectNode oldPod = pair[1];
                if (newPod != null) {
                    if (!PodTemplates.isAvailable(newPod, minReady, now)) {
                        numUnavailable++;
                    }
                } else if (!PodTemplates.isAvailable(oldPod, minReady, now)) {
                    toDelete.add(oldPod); // not available: replaced at once
                    numUnavailable++;
                } else if (numUnavailable < maxUnavailable) {
                    candidates.add(oldPod);
                }
            }
            int remaining = Math.max(0, Math.min(maxUnavailable - numUnavailable, candidates.size()));
            toDelete.addAll(candidates.subList(0, remaining));
            return;
        }
        int numSurge = 0;
        List<String> candidates = new ArrayList<>();
        for (Map.Entry<String, ObjectNode[]> e : rollable.entrySet()) {
            ObjectNode newPod = e.getValue()[0];
            ObjectNode oldPod = e.getValue()[1];
            if (oldPod == null) {
                continue;
            }
            if (newPod == null) {
                if (!PodTemplates.isAvailable(oldPod, minReady, now)) {
                    toCreate.add(e.getKey()); // not available: its replacement may start at once
                } else if (numSurge < maxSurge) {
                    candidates.add(e.getKey());
                }
            } else if (!PodTemplates.isAvailable(newPod, minReady, now)) {
                numSurge++;
            } else {
                toDelete.add(oldPod);
            }
        }
        int remaining = Math.max(0, Math.min(maxSurge - numSurge, candidates.size()));
        toCreate.addAll(candidates.subList(0, remaining));
    }

    private Future<Void> createPod(ObjectNode ds, String hash, String node) {
        ObjectNode pod = daemonPod(ds, hash, node);
        return registry.create(served("", "pods"), PodTemplates.namespace(ds), pod, identity, false)
                .compose(
                        created -> events.event(
                                ds, "Normal", "SuccessfulCreate", "Created pod: " + PodTemplates.name(created)),
                        e -> ControllerIdentity.isNamespaceTerminating(e)
                                ? Future.succeededFuture()
                                : events.event(ds, "Warning", "FailedCreate", "Error creating: " + e.getMessage())
                                        .compose(v -> Future.failedFuture(e)));
    }

    private Future<Void> deletePod(ObjectNode ds, ObjectNode pod) {
        return new Deleter(registry)
                .delete(
                        served("", "pods"),
                        PodTemplates.namespace(pod),
                        PodTemplates.name(pod),
                        Deleter.Options.defaults(),
                        identity)
                .compose(
                        v -> events.event(ds, "Normal", "SuccessfulDelete", "Deleted pod: " + PodTemplates.name(pod)),
                        e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** storeDaemonSetStatus: the counts always, numberAvailable, numberUnavailable and updatedNumberScheduled when not zero. */
    private Future<Void> writeStatus(
            ObjectNode ds, int desired, int current, int misscheduled, int ready, int updated, int available) {
        ObjectNode status = ds.objectNode();
        status.put("currentNumberScheduled", current);
        status.put("numberMisscheduled", misscheduled);
        status.put("desiredNumberScheduled", desired);
        status.put("numberReady", ready);
        status.put("observedGeneration", ds.path("metadata").path("generation").asLong());
        if (updated > 0) {
            status.put("updatedNumberScheduled", updated);
        }
        if (available > 0) {
            status.put("numberAvailable", available);
        }
        if (desired - available > 0) {
            status.put("numberUnavailable", desired - available);
        }
        if (ds.path("status").has("collisionCount")) {
            status.set("collisionCount", ds.path("status").get("collisionCount"));
        }
        if (status.equals(ds.path("status"))) {
            return Future.succeededFuture();
        }
        ObjectNode copy = ds.deepCopy();
        copy.set("status", status);
        return registry.update(
                        served("apps", "daemonsets"),
                        PodTemplates.namespace(ds),
                        PodTemplates.name(ds),
                        copy,
                        "status",
                        identity,
                        false)
                .mapEmpty();
    }
}
