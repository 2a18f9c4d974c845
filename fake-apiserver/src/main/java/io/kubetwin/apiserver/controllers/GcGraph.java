package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.GarbageCollectionPolicy;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.WatchEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The garbage collector's dependency graph (pkg/controller/garbagecollector/graph.go and graph_builder.go): every
 * object of every watched resource by UID, with its owner references, and the reverse index from an owner's UID to
 * its dependents (kept even while the owner is absent, as upstream's virtual nodes). {@link #observe} turns each
 * change into the UIDs the collector must look at. Thread-safe.
 */
final class GcGraph {

    /** One metav1.OwnerReference. */
    record OwnerRef(String apiVersion, String kind, String name, String uid, boolean blockOwnerDeletion) {
        static List<OwnerRef> of(JsonNode refs) {
            List<OwnerRef> out = new ArrayList<>();
            for (JsonNode r : refs) {
                out.add(new OwnerRef(
                        r.path("apiVersion").asText(),
                        r.path("kind").asText(),
                        r.path("name").asText(),
                        r.path("uid").asText(),
                        r.path("blockOwnerDeletion").asBoolean(false)));
            }
            return List.copyOf(out);
        }
    }

    /** An observed object. */
    record Node(
            ServedResource served,
            String namespace,
            String name,
            String uid,
            List<OwnerRef> owners,
            boolean deleting,
            List<String> finalizers) {

        static Node of(ServedResource served, ObjectNode object) {
            JsonNode meta = object.path("metadata");
            List<String> finalizers = new ArrayList<>();
            meta.path("finalizers").forEach(f -> finalizers.add(f.asText()));
            return new Node(
                    served,
                    meta.path("namespace").asText(""),
                    meta.path("name").asText(),
                    meta.path("uid").asText(),
                    OwnerRef.of(meta.path("ownerReferences")),
                    meta.has("deletionTimestamp"),
                    List.copyOf(finalizers));
        }

        /** isDeletingDependents: being deleted in the foreground. */
        boolean deletingDependents() {
            return deleting && finalizers.contains(GarbageCollectionPolicy.FOREGROUND_FINALIZER);
        }

        /** Being deleted with the orphan finalizer: its dependents are to be orphaned. */
        boolean orphaning() {
            return deleting && finalizers.contains(GarbageCollectionPolicy.ORPHAN_FINALIZER);
        }
    }

    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Set<String>> dependents = new HashMap<>();

    synchronized Node node(String uid) {
        return nodes.get(uid);
    }

    /** The observed dependents of {@code ownerUid}. */
    synchronized List<Node> dependents(String ownerUid) {
        List<Node> out = new ArrayList<>();
        for (String uid : dependents.getOrDefault(ownerUid, Set.of())) {
            Node n = nodes.get(uid);
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    /** blockingDependents: dependents whose reference to {@code ownerUid} has blockOwnerDeletion. */
    synchronized List<Node> blockingDependents(String ownerUid) {
        List<Node> out = new ArrayList<>();
        for (Node d : dependents(ownerUid)) {
            if (d.owners().stream().anyMatch(o -> o.uid().equals(ownerUid) && o.blockOwnerDeletion())) {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * processGraphChanges: records a change and answers the UIDs to process: an object whose owners changed; one
     * being deleted with the orphan or foregroundDeletion finalizer; the dependents of a deleted object; and owners
     * deleting in the foreground whose dependents changed or went.
     */
    synchronized List<String> observe(ServedResource served, WatchEvent.Type type, ObjectNode object) {
        Node node = Node.of(served, object);
        Set<String> out = new LinkedHashSet<>();
        if (type == WatchEvent.Type.DELETED) {
            Node old = nodes.remove(node.uid());
            unindex(old);
            out.addAll(dependents.getOrDefault(node.uid(), Set.of()));
            addForegroundOwners(old == null ? node : old, out);
            return List.copyOf(out);
        }
        Node old = nodes.put(node.uid(), node);
        if (old == null || !old.owners().equals(node.owners())) {
            unindex(old);
            for (OwnerRef o : node.owners()) {
                dependents.computeIfAbsent(o.uid(), k -> new HashSet<>()).add(node.uid());
            }
            if (!node.owners().isEmpty()) {
                out.add(node.uid());
            }
            if (old != null) {
                addForegroundOwners(old, out);
            }
        }
        if ((node.orphaning() || node.deletingDependents())
                && (old == null
                        || old.deleting() != node.deleting()
                        || !old.finalizers().equals(node.finalizers()))) {
            out.add(node.uid());
        }
        if (node.deleting() && (old == null || !old.deleting())) {
            addForegroundOwners(node, out);
        }
        return List.copyOf(out);
    }

    private void addForegroundOwners(Node dependent, Set<String> out) {
        for (OwnerRef o : dependent.owners()) {
            Node owner = nodes.get(o.uid());
            if (owner != null && owner.deletingDependents()) {
                out.add(owner.uid());
            }
        }
    }

    private void unindex(Node old) {
        if (old == null) {
            return;
        }
        for (OwnerRef o : old.owners()) {
            Set<String> set = dependents.get(o.uid());
            if (set != null) {
                set.remove(old.uid());
                if (set.isEmpty()) {
                    dependents.remove(o.uid());
                }
            }
        }
    }
}
