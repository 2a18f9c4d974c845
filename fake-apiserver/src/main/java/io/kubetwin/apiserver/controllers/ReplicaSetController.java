package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replicaset controller (pkg/controller/replicaset/replica_set.go), which kube-controller-manager also runs for
 * ReplicationControllers (pkg/controller/replication wraps the same code): per object, claims the active pods of its
 * namespace ({@link ControllerRefs}), creates pods from {@code spec.template} ({@link PodTemplates#pod}) or deletes the
 * surplus as getPodsToDelete ranks them, with the {@code SuccessfulCreate}/{@code SuccessfulDelete} events (or
 * {@code FailedCreate} and the {@code ReplicaFailure} condition), and writes {@code status} (replicas,
 * fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration) through the status subresource.
 * Statuses count the pods seen before the sync's own creations and deletions, as upstream: the pod watch queues the
 * owner again and the next sync counts them.
 */
final class ReplicaSetController extends QueueController {

    /** The two kinds the controller manages. */
    enum Kind {
        REPLICA_SET("apps", "replicasets", "ReplicaSet", "replicaset-controller"),
        REPLICATION_CONTROLLER("", "replicationcontrollers", "ReplicationController", "replication-controller");

        final String group;
        final String resource;
        final String kind;
        final String controllerName;

        Kind(String group, String resource, String kind, String controllerName) {
            this.group = group;
            this.resource = resource;
            this.kind = kind;
            this.controllerName = controllerName;
        }
    }

    private static final ResourceKey PODS = new ResourceKey("", "pods");
    /** burstReplicas: at most this many creations or deletions per sync. */
    private static final int BURST = 500;

    private final Kind kind;
    private final UserInfo identity;
    private final EventRecorder events;
    private final ControllerRefs refs;
    /** namespace/name to selector of every object seen: which owners an orphan pod may concern. */
    private final Map<String, LabelSelector> selectors = new ConcurrentHashMap<>();

    ReplicaSetController(Vertx vertx, GenericRegistry registry, Kind kind) {
        super(vertx, registry, kind.controllerName);
        this.kind = kind;
        this.identity = ControllerIdentity.serviceAccount(kind.controllerName);
        this.events = new EventRecorder(registry, kind.controllerName, identity);
        this.refs = new ControllerRefs(registry, identity);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(new ResourceKey(kind.group, kind.resource), (type, o) -> {
                    String key = PodTemplates.namespace(o) + "/" + PodTemplates.name(o);
                    if (type == WatchEvent.Type.DELETED) {
                        selectors.remove(key);
                        return List.of();
                    }
                    selectors.put(key, PodTemplates.selector(o.path("spec").path("selector")));
                    return List.of(key);
                }),
                new Source(PODS, (type, pod) -> owners(pod)));
    }

    /** The owner a pod's change concerns: its controller of this kind, or for an orphan every matching owner. */
    private List<String> owners(ObjectNode pod) {
        String namespace = PodTemplates.namespace(pod);
        JsonNode ref = PodTemplates.controllerOf(pod);
        if (ref != null) {
            return ref.path("kind").asText().equals(kind.kind)
                    ? List.of(namespace + "/" + ref.path("name").asText())
                    : List.of();
        }
        var labels = PodTemplates.labels(pod);
        List<String> out = new ArrayList<>();
        selectors.forEach((key, selector) -> {
            if (key.startsWith(namespace + "/") && !selectorEmpty(selector) && selector.matches(labels)) {
                out.add(key);
            }
        });
        return out;
    }

    private static boolean selectorEmpty(LabelSelector s) {
        return s.matchLabels().isEmpty() && s.matchExpressions().isEmpty();
    }

    private ServedResource served() {
        return registry.catalog().lookup(kind.group, "v1", kind.resource).orElseThrow();
    }

    private ServedResource pods() {
        return registry.catalog().lookup("", "v1", "pods").orElseThrow();
    }

    @Override
    protected Future<Void> sync(String key) {
        int slash = key.indexOf('/');
        String namespace = key.substring(0, slash);
        String name = key.substring(slash + 1);
        return registry.get(served(), namespace, name)
                .compose(owner -> {
                    // a kind read from storage may lack its type fields
                    owner.put("apiVersion", kind.group.isEmpty() ? "v1" : kind.group + "/v1");
                    owner.put("kind", kind.kind);
                    LabelSelector selector =
                            PodTemplates.selector(owner.path("spec").path("selector"));
                    return registry.storage()
                            .list(PODS, namespace)
                            .compose(list -> {
                                List<ObjectNode> active = list.items().stream()
                                        .filter(PodTemplates::isActive)
                                        .toList();
                                return refs.claim(pods(), owner, selector, active);
                            })
                            .compose(owned -> manage(owner, owned)
                                    .map(v -> (String) null)
                                    .recover(e -> Future.succeededFuture(e.getMessage()))
                                    .compose(failure -> writeStatus(owner, owned, failure)));
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** manageReplicas: creates or deletes the difference, at most {@link #BURST} at a time. */
    private Future<Void> manage(ObjectNode owner, List<ObjectNode> owned) {
        if (owner.path("metadata").has("deletionTimestamp")) {
            return Future.succeededFuture();
        }
        int replicas = owner.path("spec").path("replicas").asInt(1);
        int diff = owned.size() - replicas;
        if (diff < 0) {
            int count = Math.min(-diff, BURST);
            List<Future<Void>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                created.add(createPod(owner));
            }
            return Future.all(created).mapEmpty();
        }
        if (diff > 0) {
            List<ObjectNode> ranked = new ArrayList<>(owned);
            ranked.sort(DELETION_ORDER);
            List<Future<Void>> deleted = new ArrayList<>();
            for (ObjectNode pod : ranked.subList(0, Math.min(diff, BURST))) {
                deleted.add(deletePod(owner, pod));
            }
            return Future.all(deleted).mapEmpty();
        }
        return Future.succeededFuture();
    }

    private Future<Void> createPod(ObjectNode owner) {
        ObjectNode pod = PodTemplates.pod(owner.path("spec").path("template"), owner);
        return registry.create(pods(), PodTemplates.namespace(owner), pod, identity, false)
                .compose(
                        created -> events.event(
                                owner, "Normal", "SuccessfulCreate", "Created pod: " + PodTemplates.name(created)),
                        e -> {
                            if (ControllerIdentity.isNamespaceTerminating(e)) {
                                return Future.succeededFuture();
                            }
                            return events.event(owner, "Warning", "FailedCreate", "Error creating: " + e.getMessage())
                                    .compose(v -> Future.failedFuture(e));
                        });
    }

    private Future<Void> deletePod(ObjectNode owner, ObjectNode pod) {
        return new Deleter(registry)
                .delete(
                        pods(),
                        PodTemplates.namespace(pod),
                        PodTemplates.name(pod),
                        Deleter.Options.defaults(),
                        identity)
                .compose(
                        v -> events.event(
                                owner, "Normal", "SuccessfulDelete", "Deleted pod: " + PodTemplates.name(pod)),
                        e -> ControllerIdentity.isNotFound(e)
                                ? Future.succeededFuture()
                                : events.event(owner, "Warning", "FailedDelete", "Error deleting: " + e.getMessage())
                                        .compose(v -> Future.failedFuture(e)));
    }

    /**
     * ActivePodsWithRanks' order for deletion: unscheduled before scheduled, Pending before Unknown before Running,
     * not ready before ready, lower pod-deletion-cost first, newer before older. Pods equal on all of these (the
     * Pending pods of a cluster without a scheduler) are in no defined order upstream; here by name.
     */
    private static final Comparator<ObjectNode> DELETION_ORDER = Comparator.<ObjectNode>comparingInt(
                    p -> p.path("spec").path("nodeName").asText().isEmpty() ? 0 : 1)
            .thenComparingInt(p -> switch (p.path("status").path("phase").asText()) {
                case "Pending" -> 0;
                case "Unknown" -> 1;
                case "Running" -> 2;
                default -> 0;
            })
            .thenComparingInt(p -> PodTemplates.isReady(p) ? 1 : 0)
            .thenComparingLong(p -> deletionCost(p))
            .thenComparing(p -> p.path("metadata").path("creationTimestamp").asText(), Comparator.reverseOrder())
            .thenComparing(PodTemplates::name);

    private static long deletionCost(JsonNode pod) {
        try {
            return Long.parseLong(pod.path("metadata")
                    .path("annotations")
                    .path("controller.kubernetes.io/pod-deletion-cost")
                    .asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** calculateStatus and updateReplicaSetStatus: written when anything changed. */
    private Future<Void> writeStatus(ObjectNode owner, List<ObjectNode> owned, String manageFailure) {
        Map<String, String> templateLabels =
                PodTemplates.labels(owner.path("spec").path("template"));
        long minReady = owner.path("spec").path("minReadySeconds").asLong(0);
        Instant now = registry.clock().instant();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        for (ObjectNode pod : owned) {
            if (PodTemplates.labels(pod).entrySet().containsAll(templateLabels.entrySet())) {
                fullyLabeled++;
            }
            if (PodTemplates.isReady(pod)) {
                ready++;
                if (PodTemplates.isAvailable(pod, minReady, now)) {
                    available++;
                }
            }
        }
        JsonNode old = owner.path("status");
        ObjectNode status = owner.objectNode();
        status.put("replicas", owned.size());
        if (fullyLabeled > 0) {
            status.put("fullyLabeledReplicas", fullyLabeled);
        }
        if (ready > 0) {
            status.put("readyReplicas", ready);
        }
        if (available > 0) {
            status.put("availableReplicas", available);
        }
        status.put(
                "observedGeneration", owner.path("metadata").path("generation").asLong());
        JsonNode failure = null;
        for (JsonNode c : old.path("conditions")) {
            if (c.path("type").asText().equals("ReplicaFailure")) {
                failure = c;
            }
        }
        if (manageFailure != null) {
            // SetCondition keeps the condition as it is when only its timestamp would change
            ObjectNode c = failure instanceof ObjectNode o ? o.deepCopy() : owner.objectNode();
            if (failure == null || !manageFailure.equals(failure.path("message").asText())) {
                c.put("type", "ReplicaFailure");
                c.put("status", "True");
                c.put("lastTransitionTime", PodTemplates.rfc3339(now));
                c.put("reason", "FailedCreate");
                c.put("message", manageFailure);
            }
            status.putArray("conditions").add(c);
        }
        if (status.equals(old)) {
            return manageFailure == null ? Future.succeededFuture() : Future.failedFuture(manageFailure);
        }
        ObjectNode copy = owner.deepCopy();
        copy.set("status", status);
        Future<Void> written = registry.update(
                        served(),
                        PodTemplates.namespace(owner),
                        PodTemplates.name(owner),
                        copy,
                        "status",
                        identity,
                        false)
                .mapEmpty();
        return manageFailure == null ? written : written.compose(v -> Future.failedFuture(manageFailure));
    }
}
