package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.registry.Deleter;
import io.kubetwin.apiserver.registry.GarbageCollectionPolicy;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ResourceCatalog;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The garbage collector (pkg/controller/garbagecollector/garbagecollector.go): watches every resource that can be
 * listed, watched and deleted (custom resources as their CRDs appear) into a {@link GcGraph}, and for each object it
 * is told about:
 * <ul>
 *   <li>being deleted with the {@code orphan} finalizer: removes the owner reference to it from every dependent, then
 *       the finalizer (attemptToOrphan);</li>
 *   <li>being deleted with {@code foregroundDeletion}: asks for its blocking dependents' deletion, and removes the
 *       finalizer once none is left (processDeletingDependentsItem);</li>
 *   <li>with owner references: looks each owner up live (in the dependent's namespace when the owner's kind is
 *       namespaced; a cluster-scoped object may not have a namespaced owner and is left alone), and deletes the
 *       object when no owner exists any more (a missing object or another UID is "dangling"), in the foreground when
 *       an owner waits for it and it has dependents itself, otherwise as its own finalizers say; with a live owner,
 *       dangling and waiting references are removed (attemptToDeleteItem).</li>
 * </ul>
 * Writes go through the registry as {@code system:serviceaccount:kube-system:generic-garbage-collector}.
 */
final class GarbageCollector extends QueueController {
    static final String NAME = "generic-garbage-collector";

    private enum Reference {
        SOLID,
        DANGLING,
        WAITING,
        /** Not resolvable (unknown kind, cluster-scoped dependent of a namespaced owner): the item is left alone. */
        UNUSABLE
    }

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final GcGraph graph = new GcGraph();
    private final Set<ResourceKey> watched = new HashSet<>();
    private AutoCloseable catalogListener;

    GarbageCollector(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, "garbage-collector");
    }

    @Override
    protected List<Source> sources() {
        List<Source> out = new ArrayList<>();
        for (ServedResource r : monitored(registry.catalog()).values()) {
            out.add(source(r));
        }
        return out;
    }

    @Override
    public Future<Void> start() {
        // custom resources appear and go with their CRDs: upstream's resyncMonitors
        catalogListener = registry.catalog().addListener(change -> {
            if (change instanceof ResourceCatalog.Change.Added added && deletable(added.resource())) {
                ServedResource r = added.resource();
                synchronized (watched) {
                    if (!watched.add(r.storageKey())) {
                        return;
                    }
                }
                inform(source(r));
            }
        });
        return super.start();
    }

    @Override
    public Future<Void> stop() {
        if (catalogListener != null) {
            try {
                catalogListener.close();
            } catch (Exception e) {
                // removing a listener does not fail
            }
        }
        return super.stop();
    }

    private Source source(ServedResource r) {
        synchronized (watched) {
            watched.add(r.storageKey());
        }
        return new Source(r.storageKey(), (type, object) -> graph.observe(r, type, object));
    }

    /** GetDeletableResources: one served resource per stored kind, the one in its storage version where there is one. */
    private static Map<ResourceKey, ServedResource> monitored(ResourceCatalog catalog) {
        Map<ResourceKey, ServedResource> out = new LinkedHashMap<>();
        for (ServedResource r : catalog.all()) {
            if (!deletable(r) || r.storedAsOtherKind()) {
                continue;
            }
            ServedResource known = out.get(r.storageKey());
            if (known == null || r.type().version().equals(r.storageVersion())) {
                out.put(r.storageKey(), r);
            }
        }
        return out;
    }

    private static boolean deletable(ServedResource r) {
        List<String> verbs = r.type().verbs();
        return r.persisted() && verbs.contains("delete") && verbs.contains("list") && verbs.contains("watch");
    }

    @Override
    protected Future<Void> sync(String uid) {
        GcGraph.Node node = graph.node(uid);
        if (node == null) {
            return Future.succeededFuture();
        }
        return registry.get(node.served(), node.namespace(), node.name())
                .compose(latest -> {
                    GcGraph.Node current = GcGraph.Node.of(node.served(), latest);
                    if (!current.uid().equals(uid)) {
                        return Future.<Void>succeededFuture();
                    }
                    if (current.orphaning()) {
                        return orphanDependents(current)
                                .compose(v -> removeFinalizer(current, GarbageCollectionPolicy.ORPHAN_FINALIZER));
                    }
                    if (current.deletingDependents()) {
                        return processDeletingDependents(current);
                    }
                    if (current.deleting() || current.owners().isEmpty()) {
                        return Future.<Void>succeededFuture();
                    }
                    return attemptToDelete(current, latest);
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** processDeletingDependentsItem. */
    private Future<Void> processDeletingDependents(GcGraph.Node owner) {
        List<GcGraph.Node> blocking = graph.blockingDependents(owner.uid());
        if (blocking.isEmpty()) {
            return removeFinalizer(owner, GarbageCollectionPolicy.FOREGROUND_FINALIZER);
        }
        for (GcGraph.Node d : blocking) {
            if (!d.deletingDependents()) {
                enqueue(d.uid());
            }
        }
        return Future.succeededFuture();
    }

    /** attemptToDeleteItem for an object that is not being deleted and has owners. */
    private Future<Void> attemptToDelete(GcGraph.Node item, ObjectNode latest) {
        List<Future<Reference>> classified = new ArrayList<>();
        for (GcGraph.OwnerRef ref : item.owners()) {
            classified.add(classify(item, ref));
        }
        return Future.all(classified).compose(all -> {
            List<String> solid = new ArrayList<>();
            Set<String> removable = new HashSet<>();
            boolean waiting = false;
            for (int i = 0; i < classified.size(); i++) {
                String ownerUid = item.owners().get(i).uid();
                switch (classified.get(i).result()) {
                    case UNUSABLE -> {
                        return Future.<Void>succeededFuture();
                    }
                    case SOLID -> solid.add(ownerUid);
                    case DANGLING -> removable.add(ownerUid);
                    case WAITING -> {
                        removable.add(ownerUid);
                        waiting = true;
                    }
                }
            }
            if (!solid.isEmpty()) {
                return removable.isEmpty() ? Future.<Void>succeededFuture() : removeOwnerReferences(item, removable);
            }
            if (waiting && !graph.dependents(item.uid()).isEmpty()) {
                return deleteObject(item, "Foreground");
            }
            JsonNode finalizers = latest.path("metadata").path("finalizers");
            String policy = contains(finalizers, GarbageCollectionPolicy.ORPHAN_FINALIZER)
                    ? "Orphan"
                    : contains(finalizers, GarbageCollectionPolicy.FOREGROUND_FINALIZER) ? "Foreground" : "Background";
            return deleteObject(item, policy);
        });
    }

    /** classifyReferences with isDangling: the owner is looked up live, by name, and must have the referenced UID. */
    private Future<Reference> classify(GcGraph.Node item, GcGraph.OwnerRef ref) {
        String apiVersion = ref.apiVersion();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        Optional<ServedResource> owner = registry.catalog().lookupKind(group, version, ref.kind());
        if (owner.isEmpty()) {
            return Future.succeededFuture(Reference.UNUSABLE);
        }
        boolean namespaced = owner.get().type().namespaced();
        if (namespaced && item.namespace().isEmpty()) {
            // namespacedOwnerOfClusterScopedObjectErr: the reference is invalid, the item is forgotten
            return Future.succeededFuture(Reference.UNUSABLE);
        }
        return registry.get(owner.get(), namespaced ? item.namespace() : "", ref.name())
                .map(o -> {
                    JsonNode meta = o.path("metadata");
                    if (!ref.uid().equals(meta.path("uid").asText())) {
                        return Reference.DANGLING;
                    }
                    return meta.has("deletionTimestamp")
                                    && contains(meta.path("finalizers"), GarbageCollectionPolicy.FOREGROUND_FINALIZER)
                            ? Reference.WAITING
                            : Reference.SOLID;
                })
                .recover(e -> ControllerIdentity.isNotFound(e)
                        ? Future.succeededFuture(Reference.DANGLING)
                        : Future.failedFuture(e));
    }

    /** deleteObject: with a UID precondition, so that a recreated object of the same name is left alone. */
    private Future<Void> deleteObject(GcGraph.Node item, String policy) {
        return new Deleter(registry)
                .delete(
                        item.served(),
                        item.namespace(),
                        item.name(),
                        Deleter.Options.propagation(policy).withPreconditionUid(item.uid()),
                        identity)
                .<Void>mapEmpty()
                .recover(e -> ControllerIdentity.isNotFound(e) || isConflict(e)
                        ? Future.succeededFuture()
                        : Future.failedFuture(e));
    }

    /** orphanDependents: every dependent loses its references to the owner. */
    private Future<Void> orphanDependents(GcGraph.Node owner) {
        List<Future<Void>> patches = new ArrayList<>();
        for (GcGraph.Node d : graph.dependents(owner.uid())) {
            patches.add(removeOwnerReferences(d, Set.of(owner.uid())));
        }
        return Future.all(patches).mapEmpty();
    }

    /** The deleteOwnerRef patch: the references to {@code ownerUids} go; a conflict is retried by the queue. */
    private Future<Void> removeOwnerReferences(GcGraph.Node item, Set<String> ownerUids) {
        return registry.get(item.served(), item.namespace(), item.name())
                .compose(latest -> {
                    ObjectNode meta = (ObjectNode) latest.get("metadata");
                    if (!item.uid().equals(meta.path("uid").asText())) {
                        return Future.<Void>succeededFuture();
                    }
                    ArrayNode kept = meta.arrayNode();
                    for (JsonNode ref : meta.path("ownerReferences")) {
                        if (!ownerUids.contains(ref.path("uid").asText())) {
                            kept.add(ref);
                        }
                    }
                    if (kept.size() == meta.path("ownerReferences").size()) {
                        return Future.<Void>succeededFuture();
                    }
                    if (kept.isEmpty()) {
                        meta.remove("ownerReferences");
                    } else {
                        meta.set("ownerReferences", kept);
                    }
                    return registry.update(item.served(), item.namespace(), item.name(), latest, "", identity, false)
                            .<Void>mapEmpty();
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** removeFinalizer: the update that leaves no finalizers completes the object's deletion. */
    private Future<Void> removeFinalizer(GcGraph.Node item, String finalizer) {
        return registry.get(item.served(), item.namespace(), item.name())
                .compose(latest -> {
                    ObjectNode meta = (ObjectNode) latest.get("metadata");
                    if (!item.uid().equals(meta.path("uid").asText())
                            || !contains(meta.path("finalizers"), finalizer)) {
                        return Future.<Void>succeededFuture();
                    }
                    ArrayNode kept = meta.arrayNode();
                    meta.path("finalizers").forEach(f -> {
                        if (!finalizer.equals(f.asText())) {
                            kept.add(f);
                        }
                    });
                    if (kept.isEmpty()) {
                        meta.remove("finalizers");
                    } else {
                        meta.set("finalizers", kept);
                    }
                    return registry.update(item.served(), item.namespace(), item.name(), latest, "", identity, false)
                            .<Void>mapEmpty();
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode v : list) {
            if (value.equals(v.asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConflict(Throwable e) {
        return e instanceof StatusException se && se.code() == 409;
    }
}
