package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authz.rbac.LabelSelector;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller reference manager (pkg/controller/controller_ref_manager.go ClaimObject): of the objects listed in
 * the owner's namespace, those whose controller is the owner are its own, and are released (the reference removed)
 * when they no longer match its selector; orphans that match are adopted (the controller reference added) unless the
 * owner or the orphan is being deleted. Writes as the controller, with the object's resourceVersion, so a concurrent
 * change makes the sync retry.
 */
final class ControllerRefs {
    private final GenericRegistry registry;
    private final UserInfo identity;

    ControllerRefs(GenericRegistry registry, UserInfo identity) {
        this.registry = registry;
        this.identity = identity;
    }

    /** The objects the owner controls once adoption and release are done. */
    Future<List<ObjectNode>> claim(
            ServedResource served, ObjectNode owner, LabelSelector selector, List<ObjectNode> candidates) {
        String ownerUid = PodTemplates.uid(owner);
        boolean ownerDeleting = owner.path("metadata").has("deletionTimestamp");
        List<ObjectNode> owned = new ArrayList<>();
        List<Future<Void>> writes = new ArrayList<>();
        for (ObjectNode o : candidates) {
            JsonNode ref = PodTemplates.controllerOf(o);
            boolean matches = selector.matches(PodTemplates.labels(o));
            if (ref != null) {
                if (!ref.path("uid").asText().equals(ownerUid)) {
                    continue;
                }
                if (matches || ownerDeleting) {
                    owned.add(o);
                } else {
                    writes.add(release(served, o, ownerUid));
                }
            } else if (matches && !ownerDeleting && !o.path("metadata").has("deletionTimestamp")) {
                writes.add(adopt(served, o, owner).map(adopted -> {
                    synchronized (owned) {
                        owned.add(adopted);
                    }
                    return null;
                }));
            }
        }
        return Future.all(writes).map(v -> owned);
    }

    private Future<ObjectNode> adopt(ServedResource served, ObjectNode object, ObjectNode owner) {
        ObjectNode copy = object.deepCopy();
        ObjectNode meta = (ObjectNode) copy.get("metadata");
        ArrayNode refs = meta.has("ownerReferences")
                ? (ArrayNode) meta.get("ownerReferences")
                : meta.putArray("ownerReferences");
        refs.add(PodTemplates.controllerRef(owner));
        return registry.update(
                served, PodTemplates.namespace(object), PodTemplates.name(object), copy, "", identity, false);
    }

    private Future<Void> release(ServedResource served, ObjectNode object, String ownerUid) {
        ObjectNode copy = object.deepCopy();
        ObjectNode meta = (ObjectNode) copy.get("metadata");
        ArrayNode kept = meta.arrayNode();
        meta.path("ownerReferences").forEach(r -> {
            if (!r.path("uid").asText().equals(ownerUid)) {
                kept.add(r);
            }
        });
        if (kept.isEmpty()) {
            meta.remove("ownerReferences");
        } else {
            meta.set("ownerReferences", kept);
        }
        return registry.update(
                        served, PodTemplates.namespace(object), PodTemplates.name(object), copy, "", identity, false)
                .<Void>mapEmpty()
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }
}
