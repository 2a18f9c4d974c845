package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.discovery.DiscoveryDocuments;
import io.kubetwin.apiserver.registry.Deleter;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The namespace controller (pkg/controller/namespace/namespace_controller.go and deletion/namespaced_resources_deleter.go):
 * for a namespace with a deletionTimestamp it deletes every namespaced resource's objects (pods first, as the
 * OrderedNamespaceDeletion gate, locked on in v1.34, does; each with propagationPolicy Background), records the
 * deletion conditions in the namespace's status ({@link NamespaceConditions}), and once nothing is left removes its
 * {@code kubernetes} finalizer through {@code namespaces/finalize}, which deletes the namespace when no other
 * finalizer remains. As upstream, a namespace is looked at {@link #DELETION_GRACE_MS} after each change (the
 * namespaceDeletionGracePeriod that lets HA apiservers observe the deletion), and again after the estimate while
 * objects remain: 8 s when finalizers of their own hold them ({@link #FINALIZER_REQUEUE_MS}), else 1 s.
 */
final class NamespaceController extends QueueController {
    static final String NAME = "namespace-controller";
    static final String FINALIZER = "kubernetes";
    static final long DELETION_GRACE_MS = 5000;
    /** finalizerEstimateSeconds / 2 + 1. */
    static final long FINALIZER_REQUEUE_MS = 8000;

    static final long REQUEUE_MS = 1000;
    private static final ResourceKey NAMESPACES = new ResourceKey("", "namespaces");

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);

    NamespaceController(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, NAME);
    }

    @Override
    protected List<Source> sources() {
        // enqueueNamespace: every change of a namespace being deleted is looked at after the grace period
        return List.of(new Source(NAMESPACES, (type, ns) -> {
            if (type != WatchEvent.Type.DELETED && ns.path("metadata").has("deletionTimestamp")) {
                enqueueAfter(name(ns), DELETION_GRACE_MS);
            }
            return List.of();
        }));
    }

    private ServedResource namespaces() {
        return registry.catalog().lookup("", "v1", "namespaces").orElseThrow();
    }

    @Override
    protected Future<Void> sync(String name) {
        return registry.get(namespaces(), "", name)
                .compose(ns -> {
                    if (!ns.path("metadata").has("deletionTimestamp")) {
                        return Future.<Void>succeededFuture();
                    }
                    return markTerminating(ns).compose(current -> {
                        if (current.path("spec").path("finalizers").isEmpty()) {
                            return Future.<Void>succeededFuture();
                        }
                        return deleteAllContent(current).compose(remaining -> {
                            if (remaining > 0) {
                                enqueueAfter(name, remaining == HELD_BY_FINALIZERS ? FINALIZER_REQUEUE_MS : REQUEUE_MS);
                                return Future.<Void>succeededFuture();
                            }
                            return finalizeNamespace(name);
                        });
                    });
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** updateNamespaceStatusFunc: a namespace being deleted is Terminating. */
    private Future<ObjectNode> markTerminating(ObjectNode ns) {
        if ("Terminating".equals(ns.path("status").path("phase").asText())) {
            return Future.succeededFuture(ns);
        }
        ObjectNode updated = ns.deepCopy();
        ((ObjectNode) updated.withObject("/status")).put("phase", "Terminating");
        return registry.update(namespaces(), "", name(ns), updated, "status", identity, false);
    }

    /** What {@link #deleteAllContent} answers when the objects that remain have finalizers. */
    private static final int HELD_BY_FINALIZERS = Integer.MAX_VALUE;

    /**
     * deleteAllContent: deletes and then lists the objects of each preferred namespaced resource that can be deleted;
     * answers how many objects remain, after writing the conditions when they changed.
     */
    private Future<Integer> deleteAllContent(ObjectNode ns) {
        String namespace = name(ns);
        List<ServedResource> resources = deletableResources();
        NamespaceConditions conditions = new NamespaceConditions();
        Map<ServedResource, Integer> remaining = new LinkedHashMap<>();
        Map<String, Integer> finalizers = new TreeMap<>();
        Set<ResourceKey> deleted = new HashSet<>();
        ServedResource pods = resources.stream()
                .filter(r ->
                        r.type().group().isEmpty() && "pods".equals(r.type().plural()))
                .findFirst()
                .orElse(null);
        Future<Void> podsFirst = pods == null
                ? Future.succeededFuture()
                : deleteResource(pods, namespace, deleted, conditions, remaining, finalizers);
        return podsFirst.compose(v -> {
            if (pods != null && remaining.containsKey(pods)) {
                // pods still remain: nothing else is deleted yet
                return writeConditions(ns, conditions)
                        .map(x -> finalizers.isEmpty() ? remaining.get(pods) : HELD_BY_FINALIZERS);
            }
            Future<Void> chain = Future.succeededFuture();
            for (ServedResource r : resources) {
                if (r != pods) {
                    chain = chain.compose(
                            x -> deleteResource(r, namespace, deleted, conditions, remaining, finalizers));
                }
            }
            return chain.compose(x -> {
                        conditions.contentTotals(remaining, finalizers);
                        return writeConditions(ns, conditions);
                    })
                    .map(x -> finalizers.isEmpty()
                            ? remaining.values().stream()
                                    .mapToInt(Integer::intValue)
                                    .sum()
                            : HELD_BY_FINALIZERS);
        });
    }

    /** deleteAllContentForGroupVersionResource: delete the collection (once per stored kind), then count what remains. */
    private Future<Void> deleteResource(
            ServedResource r,
            String namespace,
            Set<ResourceKey> deleted,
            NamespaceConditions conditions,
            Map<ServedResource, Integer> remaining,
            Map<String, Integer> finalizers) {
        Future<Void> deletion = deleted.add(r.storageKey())
                ? deleteCollection(r, namespace).recover(e -> {
                    conditions.deleteContentError(e.getMessage());
                    return Future.succeededFuture();
                })
                : Future.succeededFuture();
        return deletion.compose(v -> registry.storage().list(r.storageKey(), namespace))
                .map(list -> {
                    if (!list.items().isEmpty()) {
                        remaining.put(r, list.items().size());
                        for (ObjectNode item : list.items()) {
                            for (JsonNode f : item.path("metadata").path("finalizers")) {
                                finalizers.merge(f.asText(), 1, Integer::sum);
                            }
                        }
                    }
                    return null;
                });
    }

    private Future<Void> deleteCollection(ServedResource r, String namespace) {
        Deleter deleter = new Deleter(registry);
        return registry.storage().list(r.storageKey(), namespace).compose(list -> {
            List<Future<Deleter.Result>> deletions = new ArrayList<>();
            for (ObjectNode item : list.items()) {
                deletions.add(deleter.delete(
                                r, namespace, name(item), Deleter.Options.propagation("Background"), identity)
                        .recover(e ->
                                ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e)));
            }
            return Future.all(deletions).mapEmpty();
        });
    }

    private Future<Void> writeConditions(ObjectNode ns, NamespaceConditions conditions) {
        ObjectNode updated = ns.deepCopy();
        ObjectNode status = (ObjectNode) updated.withObject("/status");
        ArrayNode list = status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
        if (!conditions.update(list, registry.clock().instant())) {
            return Future.succeededFuture();
        }
        return registry.update(namespaces(), "", name(ns), updated, "status", identity, false)
                .<Void>mapEmpty()
                // upstream only logs a failed condition update
                .recover(e -> Future.succeededFuture());
    }

    /** finalizeNamespace: spec.finalizers without ours, as a sorted set, through namespaces/finalize. */
    private Future<Void> finalizeNamespace(String name) {
        return registry.get(namespaces(), "", name)
                .compose(ns -> {
                    Set<String> kept = new java.util.TreeSet<>();
                    for (JsonNode f : ns.path("spec").path("finalizers")) {
                        if (!FINALIZER.equals(f.asText())) {
                            kept.add(f.asText());
                        }
                    }
                    ObjectNode updated = ns.deepCopy();
                    ArrayNode list = ((ObjectNode) updated.withObject("/spec")).putArray("finalizers");
                    kept.forEach(list::add);
                    return registry.update(namespaces(), "", name, updated, "finalize", identity, false);
                })
                .<Void>mapEmpty()
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /**
     * ServerPreferredNamespacedResources filtered by the delete verb: each namespaced group/resource once, in its
     * preferred (highest priority) version.
     */
    private List<ServedResource> deletableResources() {
        Map<String, ServedResource> preferred = new TreeMap<>();
        for (ServedResource r : registry.catalog().all()) {
            if (!r.type().namespaced() || !r.persisted() || !r.type().verbs().contains("delete")) {
                continue;
            }
            String key = r.type().group() + "/" + r.type().plural();
            ServedResource known = preferred.get(key);
            if (known == null
                    || DiscoveryDocuments.compareKubeAwareVersions(
                                    r.type().version(), known.type().version())
                            < 0) {
                preferred.put(key, r);
            }
        }
        return new ArrayList<>(preferred.values());
    }

    private static String name(ObjectNode object) {
        return object.path("metadata").path("name").asText();
    }
}
