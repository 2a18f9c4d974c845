package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The first DELETE of a namespace (pkg/registry/core/namespace/storage/storage.go REST.Delete): the namespace is
 * stamped with a deletionTimestamp, turns Terminating and keeps its {@code spec.finalizers}; the garbage collector's
 * finalizers follow the namespace's own rules (orphan and foregroundDeletion only when asked). Answered 200 with the
 * namespace. The namespace controller then empties it and removes the {@code kubernetes} finalizer through
 * {@code namespaces/finalize}; the update that leaves no finalizers deletes it (ShouldDeleteNamespaceDuringUpdate).
 */
final class NamespaceDeletion {
    private NamespaceDeletion() {}

    static boolean isNamespaces(ServedResource r) {
        return "namespaces".equals(r.type().plural()) && r.type().group().isEmpty();
    }

    static Future<Deleter.Result> terminate(
            GenericRegistry registry, ServedResource r, ObjectNode current, Deleter.Options options) {
        String name = Meta.name(current);
        ObjectNode meta = Meta.meta(current);
        meta.put("deletionTimestamp", Meta.now(registry.clock.instant()));
        ObjectNode status = current.get("status") instanceof ObjectNode o ? o : current.putObject("status");
        status.put("phase", "Terminating");
        List<String> finalizers = new ArrayList<>();
        meta.path("finalizers").forEach(f -> finalizers.add(f.asText()));
        boolean orphan = options.orphanDependents() != null
                ? options.orphanDependents()
                : options.propagationPolicy() != null
                        ? "Orphan".equals(options.propagationPolicy())
                        : finalizers.contains(GarbageCollectionPolicy.ORPHAN_FINALIZER);
        boolean foreground = options.orphanDependents() != null
                ? !options.orphanDependents()
                : options.propagationPolicy() != null
                        ? "Foreground".equals(options.propagationPolicy())
                        : finalizers.contains(GarbageCollectionPolicy.FOREGROUND_FINALIZER);
        boolean changed = setPresent(finalizers, GarbageCollectionPolicy.ORPHAN_FINALIZER, orphan)
                | setPresent(finalizers, GarbageCollectionPolicy.FOREGROUND_FINALIZER, foreground);
        if (changed) {
            ArrayNode set = meta.putArray("finalizers");
            finalizers.forEach(set::add);
            if (set.isEmpty()) {
                meta.remove("finalizers");
            }
        }
        Meta.normalize(current, registry.strategy(r));
        if (options.dryRun()) {
            return Future.succeededFuture(new Deleter.Result(current, false));
        }
        return registry.storage
                .update(registry.key(r, "", name), current, Meta.resourceVersion(current))
                .recover(e -> Future.failedFuture(GenericRegistry.translate(e, r, name)))
                .map(updated -> new Deleter.Result(updated, false));
    }

    private static boolean setPresent(List<String> finalizers, String finalizer, boolean present) {
        if (present == finalizers.contains(finalizer)) {
            return false;
        }
        if (present) {
            finalizers.add(finalizer);
        } else {
            finalizers.remove(finalizer);
        }
        return true;
    }

    /** ShouldDeleteNamespaceDuringUpdate: neither spec nor metadata finalizers are left (plus the generic rule). */
    static boolean finalized(JsonNode namespace) {
        return namespace.path("spec").path("finalizers").size() == 0;
    }
}
