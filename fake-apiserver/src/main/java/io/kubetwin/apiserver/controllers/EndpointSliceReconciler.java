package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.Deleter;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the EndpointSlice controller writes for one Service (k8s.io/endpointslice reconciler.go), as a pure plan:
 * per address type, endpoints grouped by their port set; an existing slice keeps the endpoints still wanted
 * (updated in place) and loses the others, emptied slices and slices of another port set or address type go,
 * what remains fills the slices being updated (fullest first), then the unchanged slice it fits best, then new
 * slices of at most {@link #MAX_ENDPOINTS_PER_SLICE}; a Service without endpoints keeps one placeholder slice with
 * no endpoints and no ports. A create paired with a delete of the same address type becomes an update of the
 * deleted slice (finalize), so a placeholder keeps its name when the first pod comes.
 */
final class EndpointSliceReconciler {
    static final int MAX_ENDPOINTS_PER_SLICE = 100;
    static final String SERVICE_NAME = "kubernetes.io/service-name";
    static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    static final String CONTROLLER = "endpointslice-controller.k8s.io";

    /** The writes, in the order the controller makes them: creates, updates, deletes. */
    record Plan(List<ObjectNode> creates, List<ObjectNode> updates, List<ObjectNode> deletes) {

        /**
         * Makes the writes one after the other as {@code identity}, as both slice controllers do: a create into a
         * terminating namespace and a delete of a slice already gone are not errors (the next sync sees the truth).
         */
        Future<Void> write(GenericRegistry registry, ServedResource slices, String namespace, UserInfo identity) {
            Future<Void> chain = Future.succeededFuture();
            for (ObjectNode slice : creates) {
                chain = chain.compose(v -> registry.create(slices, namespace, slice, identity, false)
                        .<Void>mapEmpty()
                        .recover(e -> ControllerIdentity.isNamespaceTerminating(e)
                                ? Future.succeededFuture()
                                : Future.failedFuture(e)));
            }
            for (ObjectNode slice : updates) {
                chain = chain.compose(
                        v -> registry.update(slices, namespace, EndpointPods.name(slice), slice, "", identity, false)
                                .mapEmpty());
            }
            for (ObjectNode slice : deletes) {
                chain = chain.compose(v -> new Deleter(registry)
                        .delete(slices, namespace, EndpointPods.name(slice), Deleter.Options.defaults(), identity)
                        .<Void>mapEmpty()
                        .recover(e ->
                                ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e)));
            }
            return chain;
        }
    }

    /** Desired endpoints of one address type, by port set key, with the (sorted) ports of each set. */
    record Desired(String addressType, Map<String, List<ObjectNode>> endpoints, Map<String, ArrayNode> ports) {}

    private EndpointSliceReconciler() {}

    static Plan reconcile(JsonNode service, List<Desired> desired, List<ObjectNode> existing) {
        List<ObjectNode> creates = new ArrayList<>();
        List<ObjectNode> updates = new ArrayList<>();
        List<ObjectNode> deletes = new ArrayList<>();
        Set<String> types = new LinkedHashSet<>();
        desired.forEach(d -> types.add(d.addressType()));
        for (ObjectNode slice : existing) {
            if (!types.contains(slice.path("addressType").asText())) {
                deletes.add(slice);
            }
        }
        for (Desired d : desired) {
            List<ObjectNode> ofType = new ArrayList<>();
            existing.stream()
                    .filter(s -> d.addressType().equals(s.path("addressType").asText()))
                    .forEach(ofType::add);
            byAddressType(service, d, ofType, creates, updates, deletes);
        }
        // finalize: turn creates into updates of slices about to be deleted
        for (Iterator<ObjectNode> it = deletes.iterator(); it.hasNext() && !creates.isEmpty(); ) {
            ObjectNode doomed = it.next();
            ObjectNode created = creates.get(creates.size() - 1);
            if (doomed.path("addressType").equals(created.path("addressType")) && ownedBy(doomed, service)) {
                ((ObjectNode) created.get("metadata")).put("name", EndpointPods.name(doomed));
                creates.remove(creates.size() - 1);
                updates.add(created);
                it.remove();
            }
        }
        return new Plan(creates, updates, deletes);
    }

    private static void byAddressType(
            JsonNode service,
            Desired d,
            List<ObjectNode> existing,
            List<ObjectNode> creates,
            List<ObjectNode> updates,
            List<ObjectNode> deletes) {
        int deletesBefore = deletes.size();
        int createsBefore = creates.size();
        Map<String, List<ObjectNode>> existingByPorts = new LinkedHashMap<>();
        for (ObjectNode slice : existing) {
            if (ownedBy(slice, service)) {
                existingByPorts
                        .computeIfAbsent(portsKey(slice.path("ports")), k -> new ArrayList<>())
                        .add(slice);
            } else {
                deletes.add(slice);
            }
        }
        for (Map.Entry<String, List<ObjectNode>> e : d.endpoints().entrySet()) {
            byPorts(
                    service,
                    d.addressType(),
                    d.ports().get(e.getKey()),
                    e.getValue(),
                    existingByPorts.getOrDefault(e.getKey(), List.of()),
                    creates,
                    updates,
                    deletes);
        }
        existingByPorts.forEach((ports, slices) -> {
            if (!d.endpoints().containsKey(ports)) {
                deletes.addAll(slices);
            }
        });
        if (existing.size() == deletes.size() - deletesBefore && creates.size() == createsBefore) {
            ObjectNode placeholder = newSlice(service, d.addressType(), null);
            if (deletes.size() - deletesBefore == 1 && samePlaceholder(deletes.get(deletesBefore), placeholder)) {
                deletes.remove(deletesBefore);
            } else {
                creates.add(placeholder);
            }
        }
    }

    private static void byPorts(
            JsonNode service,
            String addressType,
            ArrayNode ports,
            List<ObjectNode> wanted,
            List<ObjectNode> existing,
            List<ObjectNode> creates,
            List<ObjectNode> updates,
            List<ObjectNode> deletes) {
        Map<String, ObjectNode> desired = new LinkedHashMap<>();
        wanted.forEach(ep -> desired.put(endpointKey(ep), ep));
        List<ObjectNode> toUpdate = new ArrayList<>();
        List<ObjectNode> unchanged = new ArrayList<>();
        for (ObjectNode slice : existing) {
            ArrayNode kept = JsonNodeFactory.instance.arrayNode();
            boolean endpointUpdated = false;
            for (JsonNode ep : slice.path("endpoints")) {
                ObjectNode got = desired.remove(endpointKey(ep));
                if (got != null) {
                    kept.add(got);
                    endpointUpdated |= !got.equals(ep);
                }
            }
            ObjectNode labels = labels(service);
            boolean labelsChanged =
                    !nonReserved(slice.path("metadata").path("labels")).equals(nonReserved(labels));
            if (endpointUpdated || kept.size() != slice.path("endpoints").size()) {
                if (kept.isEmpty()) {
                    deletes.add(slice);
                } else {
                    ObjectNode copy = slice.deepCopy();
                    copy.set("endpoints", kept);
                    ((ObjectNode) copy.get("metadata")).set("labels", labels);
                    toUpdate.add(copy);
                }
            } else if (labelsChanged) {
                ObjectNode copy = slice.deepCopy();
                ((ObjectNode) copy.get("metadata")).set("labels", labels);
                toUpdate.add(copy);
            } else {
                unchanged.add(slice);
            }
        }
        Iterator<ObjectNode> remaining = desired.values().iterator();
        if (remaining.hasNext() && !toUpdate.isEmpty()) {
            toUpdate.sort(Comparator.comparingInt(
                            (ObjectNode s) -> s.path("endpoints").size())
                    .reversed());
            for (ObjectNode slice : toUpdate) {
                ArrayNode eps = (ArrayNode) slice.get("endpoints");
                while (remaining.hasNext() && eps.size() < MAX_ENDPOINTS_PER_SLICE) {
                    eps.add(remaining.next());
                    remaining.remove();
                }
            }
        }
        while (remaining.hasNext()) {
            ObjectNode fill = null;
            if (desired.size() < MAX_ENDPOINTS_PER_SLICE && !unchanged.isEmpty()) {
                fill = sliceToFill(unchanged, desired.size());
            }
            if (fill == null) {
                fill = newSlice(service, addressType, ports);
                creates.add(fill);
            } else {
                unchanged.remove(fill);
                fill = fill.deepCopy();
                toUpdate.add(fill);
            }
            if (!(fill.get("endpoints") instanceof ArrayNode)) {
                fill.putArray("endpoints");
            }
            ArrayNode eps = (ArrayNode) fill.get("endpoints");
            while (remaining.hasNext() && eps.size() < MAX_ENDPOINTS_PER_SLICE) {
                eps.add(remaining.next());
                remaining.remove();
            }
        }
        updates.addAll(toUpdate);
    }

    /** getSliceToFill: the unchanged slice the remaining endpoints fit most tightly. */
    private static ObjectNode sliceToFill(List<ObjectNode> slices, int count) {
        int closest = MAX_ENDPOINTS_PER_SLICE;
        ObjectNode best = null;
        for (ObjectNode s : slices) {
            int diff = MAX_ENDPOINTS_PER_SLICE - (count + s.path("endpoints").size());
            if (diff >= 0 && diff < closest) {
                closest = diff;
                best = s;
                if (diff == 0) {
                    break;
                }
            }
        }
        return best;
    }

    /** newEndpointSlice: generateName {@code <service>-}, the Service as controller owner, no endpoints yet. */
    static ObjectNode newSlice(JsonNode service, String addressType, ArrayNode ports) {
        ObjectNode slice = JsonNodeFactory.instance
                .objectNode()
                .put("apiVersion", "discovery.k8s.io/v1")
                .put("kind", "EndpointSlice");
        ObjectNode meta = slice.putObject("metadata");
        String prefix = EndpointPods.name(service) + "-";
        meta.put("generateName", prefix.length() > 253 - 5 ? "slice-" : prefix);
        meta.set("labels", labels(service));
        meta.putArray("ownerReferences")
                .addObject()
                .put("apiVersion", "v1")
                .put("kind", "Service")
                .put("name", EndpointPods.name(service))
                .put("uid", service.path("metadata").path("uid").asText())
                .put("controller", true)
                .put("blockOwnerDeletion", true);
        slice.put("addressType", addressType);
        slice.putNull("endpoints");
        if (ports == null || ports.isEmpty()) {
            slice.putNull("ports");
        } else {
            slice.set("ports", ports.deepCopy());
        }
        return slice;
    }

    /** setEndpointSliceLabels: the Service's labels but the reserved ones, then headless, name and manager. */
    static ObjectNode labels(JsonNode service) {
        ObjectNode labels = nonReserved(service.path("metadata").path("labels"));
        if (EndpointPods.headless(service)) {
            labels.put(EndpointsController.HEADLESS, "");
        }
        labels.put(SERVICE_NAME, EndpointPods.name(service));
        labels.put(MANAGED_BY, CONTROLLER);
        return labels;
    }

    private static ObjectNode nonReserved(JsonNode labels) {
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        labels.fields().forEachRemaining(e -> {
            if (!Set.of(SERVICE_NAME, MANAGED_BY, EndpointsController.HEADLESS).contains(e.getKey())) {
                copy.set(e.getKey(), e.getValue());
            }
        });
        return copy;
    }

    /** placeholderSliceCompare: same namespace-less labels, address type, and no endpoints or ports. */
    private static boolean samePlaceholder(JsonNode existing, JsonNode placeholder) {
        return existing.path("metadata")
                        .path("labels")
                        .equals(placeholder.path("metadata").path("labels"))
                && existing.path("addressType").equals(placeholder.path("addressType"))
                && existing.path("endpoints").isEmpty()
                && existing.path("ports").isEmpty();
    }

    static boolean ownedBy(JsonNode slice, JsonNode service) {
        String uid = service.path("metadata").path("uid").asText();
        for (JsonNode ref : slice.path("metadata").path("ownerReferences")) {
            if (uid.equals(ref.path("uid").asText())
                    && "Service".equals(ref.path("kind").asText())
                    && "v1".equals(ref.path("apiVersion").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The set key of the ports, each sorted by its hash (NewPortMapKey); nil and empty differ, as in Go. */
    static String portsKey(JsonNode ports) {
        if (!ports.isArray()) {
            // a stored slice without ports is a nil list, whose hash differs from the empty one the controller
            // wants for a headless Service without ports: upstream rewrites such a slice on every sync
            return "<nil>";
        }
        List<String> hashes = new ArrayList<>();
        ports.forEach(p -> hashes.add(EndpointHashes.slicePort(p)));
        hashes.sort(null);
        return String.join(",", hashes);
    }

    /** An endpoint's identity across syncs (hashEndpoint): addresses, hostname and the pod it stands for. */
    private static String endpointKey(JsonNode ep) {
        return ep.path("addresses").toString() + "|" + ep.path("hostname").asText("") + "|"
                + ep.path("targetRef").path("namespace").asText("") + "/"
                + ep.path("targetRef").path("name").asText("");
    }
}
