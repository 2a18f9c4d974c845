package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * What a DELETE does to an object's dependents when the client does not say (rest.GarbageCollectionPolicy, each
 * registry strategy's DefaultGarbageCollectionPolicy), and the finalizers a DELETE adds for the garbage collector
 * (store.go shouldOrphanDependents, shouldDeleteDependents and deletionFinalizersForGarbageCollection).
 */
public enum GarbageCollectionPolicy {
    /** Dependents are deleted in the background unless the client asks otherwise (rest.DeleteDependents). */
    DELETE_DEPENDENTS,
    /** Dependents are orphaned unless the client asks otherwise (batch/v1 Jobs, v1 ReplicationControllers). */
    ORPHAN_DEPENDENTS,
    /** The kind takes no GC finalizers at all (Events). */
    UNSUPPORTED;

    public static final String ORPHAN_FINALIZER = "orphan";
    public static final String FOREGROUND_FINALIZER = "foregroundDeletion";

    /**
     * The default of a resource as served at its request version: pkg/registry/batch/job and core/replicationcontroller
     * strategy.go keep orphaning for the versions that always did (batch/v1, v1), events/strategy.go opts out; every
     * other kind, apps' included, deletes dependents.
     */
    public static GarbageCollectionPolicy defaultFor(ServedResource r) {
        String group = r.type().group();
        String plural = r.type().plural();
        if ("events".equals(plural) && (group.isEmpty() || "events.k8s.io".equals(group))) {
            return UNSUPPORTED;
        }
        if ("batch".equals(group)
                && "jobs".equals(plural)
                && "v1".equals(r.type().version())) {
            return ORPHAN_DEPENDENTS;
        }
        if (group.isEmpty()
                && "replicationcontrollers".equals(plural)
                && "v1".equals(r.type().version())) {
            return ORPHAN_DEPENDENTS;
        }
        return DELETE_DEPENDENTS;
    }

    /** store.go shouldOrphanDependents. */
    boolean shouldOrphan(List<String> finalizers, String propagationPolicy, Boolean orphanDependents) {
        if (this == UNSUPPORTED) {
            return false;
        }
        if (orphanDependents != null) {
            return orphanDependents;
        }
        if (propagationPolicy != null) {
            return "Orphan".equals(propagationPolicy);
        }
        for (String f : finalizers) {
            if (ORPHAN_FINALIZER.equals(f)) {
                return true;
            }
            if (FOREGROUND_FINALIZER.equals(f)) {
                return false;
            }
        }
        return this == ORPHAN_DEPENDENTS;
    }

    /** store.go shouldDeleteDependents (foreground). */
    boolean shouldDeleteDependents(List<String> finalizers, String propagationPolicy, Boolean orphanDependents) {
        if (this == UNSUPPORTED || orphanDependents != null) {
            return false;
        }
        if (propagationPolicy != null) {
            return "Foreground".equals(propagationPolicy);
        }
        for (String f : finalizers) {
            if (FOREGROUND_FINALIZER.equals(f)) {
                return true;
            }
            if (ORPHAN_FINALIZER.equals(f)) {
                return false;
            }
        }
        return false;
    }

    /**
     * deletionFinalizersForGarbageCollection: the object's finalizers as the DELETE leaves them, or empty when they
     * stay as they are (compared as sets, as upstream).
     */
    Optional<List<String>> deletionFinalizers(
            JsonNode finalizersNode, String propagationPolicy, Boolean orphanDependents) {
        List<String> current = new ArrayList<>();
        finalizersNode.forEach(f -> current.add(f.asText()));
        boolean orphan = shouldOrphan(current, propagationPolicy, orphanDependents);
        boolean foreground = shouldDeleteDependents(current, propagationPolicy, orphanDependents);
        List<String> updated = new ArrayList<>();
        for (String f : current) {
            if (!ORPHAN_FINALIZER.equals(f) && !FOREGROUND_FINALIZER.equals(f)) {
                updated.add(f);
            }
        }
        if (orphan) {
            updated.add(ORPHAN_FINALIZER);
        }
        if (foreground) {
            updated.add(FOREGROUND_FINALIZER);
        }
        if (new LinkedHashSet<>(current).equals(new LinkedHashSet<>(updated))) {
            return Optional.empty();
        }
        return Optional.of(updated);
    }
}
