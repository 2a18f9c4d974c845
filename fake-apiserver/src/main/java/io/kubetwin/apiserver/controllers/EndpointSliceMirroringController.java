package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): the Endpoints of a Service
 * without selector, written by a client, are mirrored into EndpointSlices labelled {@code
 * endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io}, owned by the Endpoints, one
 * per port set and address type of the repacked subsets (at most 1000 addresses per subset), with the Endpoints'
 * labels and annotations (not the trigger time nor kubectl's last-applied configuration). Ready addresses get
 * {@code conditions.ready: true}, the others false; nothing else is derived. Endpoints labelled {@code
 * endpointslice.kubernetes.io/skip-mirror: "true"} (the kubernetes Service's), of Services with a selector or of no
 * Service have their mirrored slices deleted.
 */
final class EndpointSliceMirroringController extends QueueController {
    static final String NAME = "endpointslicemirroring-controller";
    static final String CONTROLLER = "endpointslicemirroring-controller.k8s.io";
    static final String SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
    static final int MAX_ENDPOINTS_PER_SUBSET = 1000;
    private static final String LEADER = "control-plane.alpha.kubernetes.io/leader";
    private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final ResourceKey SERVICES = new ResourceKey("", "services");
    private static final ResourceKey ENDPOINTS = new ResourceKey("", "endpoints");
    private static final ResourceKey SLICES = new ResourceKey("discovery.k8s.io", "endpointslices");

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);

    EndpointSliceMirroringController(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, NAME);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(SERVICES, (type, svc) -> List.of(EndpointPods.key(svc))),
                new Source(ENDPOINTS, (type, ep) -> List.of(EndpointPods.key(ep))),
                new Source(
                        SLICES,
                        (type, slice) -> mirrored(slice)
                                ? List.of(EndpointPods.namespace(slice) + "/" + serviceName(slice))
                                : List.of()));
    }

    private static boolean mirrored(JsonNode slice) {
        return CONTROLLER.equals(slice.path("metadata")
                        .path("labels")
                        .path(EndpointSliceReconciler.MANAGED_BY)
                        .asText())
                && !serviceName(slice).isEmpty();
    }

    private static String serviceName(JsonNode slice) {
        return slice.path("metadata")
                .path("labels")
                .path(EndpointSliceReconciler.SERVICE_NAME)
                .asText("");
    }

    @Override
    protected Future<Void> sync(String key) {
        String namespace = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        Future<JsonNode> service = optional(registry.get(served("", "services"), namespace, name));
        Future<JsonNode> endpoints = optional(registry.get(served("", "endpoints"), namespace, name));
        Future<List<ObjectNode>> slices = registry.storage()
                .list(SLICES, namespace)
                .map(list -> list.items().stream()
                        .filter(s -> mirrored(s) && name.equals(serviceName(s)) && !EndpointPods.terminating(s))
                        .toList());
        return Future.all(service, endpoints, slices).compose(all -> {
            JsonNode svc = all.resultAt(0);
            JsonNode ep = all.resultAt(1);
            List<ObjectNode> existing = all.resultAt(2);
            boolean mirror = svc != null
                    && !svc.path("spec").path("selector").isObject()
                    && ep != null
                    && !"true"
                            .equals(ep.path("metadata")
                                    .path("labels")
                                    .path(SKIP_MIRROR)
                                    .asText())
                    && !ep.path("metadata").path("annotations").has(LEADER);
            return apply(namespace, mirror ? plan(ep, existing) : deleteAll(existing));
        });
    }

    private static EndpointSliceReconciler.Plan deleteAll(List<ObjectNode> existing) {
        return new EndpointSliceReconciler.Plan(List.of(), List.of(), existing);
    }

    /** reconcile: one slice per port set and address type, the first existing one of its key updated. */
    private static EndpointSliceReconciler.Plan plan(JsonNode endpoints, List<ObjectNode> existing) {
        Map<String, ArrayNode> endpointsByKey = new LinkedHashMap<>();
        Map<String, ArrayNode> portsByKey = new LinkedHashMap<>();
        Map<String, String> typeByKey = new LinkedHashMap<>();
        for (JsonNode subset : EndpointSubsets.repack(copyOfSubsets(endpoints))) {
            ArrayNode ports = slicePorts(subset.path("ports"));
            int added = 0;
            for (String list : new String[] {"addresses", "notReadyAddresses"}) {
                for (JsonNode address : subset.path(list)) {
                    String ip = address.path("ip").asText("");
                    String type = addressType(ip);
                    if (added >= MAX_ENDPOINTS_PER_SUBSET || type == null) {
                        continue;
                    }
                    added++;
                    String key = type + "|" + EndpointSliceReconciler.portsKey(ports);
                    portsByKey.putIfAbsent(key, ports);
                    typeByKey.putIfAbsent(key, type);
                    endpointsByKey
                            .computeIfAbsent(key, k -> JsonNodeFactory.instance.arrayNode())
                            .add(endpoint(address, list.equals("addresses")));
                }
            }
        }
        Map<String, List<ObjectNode>> existingByKey = new LinkedHashMap<>();
        for (ObjectNode slice : existing) {
            existingByKey
                    .computeIfAbsent(
                            slice.path("addressType").asText() + "|"
                                    + EndpointSliceReconciler.portsKey(slice.path("ports")),
                            k -> new ArrayList<>())
                    .add(slice);
        }
        List<ObjectNode> creates = new ArrayList<>();
        List<ObjectNode> updates = new ArrayList<>();
        List<ObjectNode> deletes = new ArrayList<>();
        for (Map.Entry<String, ArrayNode> e : endpointsByKey.entrySet()) {
            List<ObjectNode> current = existingByKey.getOrDefault(e.getKey(), List.of());
            for (int i = 1; i < current.size(); i++) {
                deletes.add(current.get(i));
            }
            ObjectNode slice = newSlice(
                    endpoints,
                    portsByKey.get(e.getKey()),
                    typeByKey.get(e.getKey()),
                    current.isEmpty() ? null : EndpointPods.name(current.get(0)));
            slice.set("endpoints", e.getValue());
            if (current.isEmpty()) {
                creates.add(slice);
            } else if (!sameContent(current.get(0), slice)) {
                updates.add(slice);
            }
        }
        existingByKey.forEach((key, slices) -> {
            if (!endpointsByKey.containsKey(key)) {
                deletes.addAll(slices);
            }
        });
        // finalize: a create paired with a delete of the same address type becomes an update of the deleted slice
        for (var it = deletes.iterator(); it.hasNext() && !creates.isEmpty(); ) {
            ObjectNode doomed = it.next();
            ObjectNode created = creates.get(creates.size() - 1);
            if (doomed.path("addressType").equals(created.path("addressType"))) {
                ObjectNode meta = (ObjectNode) created.get("metadata");
                meta.remove("generateName");
                meta.put("name", EndpointPods.name(doomed));
                creates.remove(creates.size() - 1);
                updates.add(created);
                it.remove();
            }
        }
        return new EndpointSliceReconciler.Plan(creates, updates, deletes);
    }

    private static ArrayNode copyOfSubsets(JsonNode endpoints) {
        return endpoints.path("subsets").isArray()
                ? (ArrayNode) endpoints.get("subsets").deepCopy()
                : JsonNodeFactory.instance.arrayNode();
    }

    /** epPortsToEpsPorts, sorted by hash as NewPortMapKey leaves them. */
    private static ArrayNode slicePorts(JsonNode corePorts) {
        List<ObjectNode> ports = new ArrayList<>();
        for (JsonNode p : corePorts) {
            ObjectNode port = JsonNodeFactory.instance
                    .objectNode()
                    .put("name", p.path("name").asText(""))
                    .put("protocol", p.path("protocol").asText("TCP"))
                    .put("port", p.path("port").asInt());
            if (p.hasNonNull("appProtocol")) {
                port.put("appProtocol", p.path("appProtocol").asText());
            }
            ports.add(port);
        }
        ports.sort(Comparator.comparing(EndpointHashes::slicePort));
        return JsonNodeFactory.instance.arrayNode().addAll(ports);
    }

    /** addressToEndpoint: the address, ready or not, and what the Endpoints say of it. */
    private static ObjectNode endpoint(JsonNode address, boolean ready) {
        ObjectNode ep = JsonNodeFactory.instance.objectNode();
        ep.putArray("addresses").add(address.path("ip").asText());
        ep.putObject("conditions").put("ready", ready);
        if (!address.path("hostname").asText("").isEmpty()) {
            ep.put("hostname", address.path("hostname").asText());
        }
        if (address.hasNonNull("targetRef")) {
            ep.set("targetRef", address.get("targetRef").deepCopy());
        }
        if (address.hasNonNull("nodeName")) {
            ep.put("nodeName", address.path("nodeName").asText());
        }
        return ep;
    }

    private static String addressType(String ip) {
        if (ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return "IPv4";
        }
        return ip.contains(":") && ip.matches("[0-9a-fA-F:.]+") ? "IPv6" : null;
    }

    /** newEndpointSlice: owned by the Endpoints, with their labels and annotations. */
    private static ObjectNode newSlice(JsonNode endpoints, ArrayNode ports, String addressType, String name) {
        ObjectNode slice = JsonNodeFactory.instance
                .objectNode()
                .put("apiVersion", "discovery.k8s.io/v1")
                .put("kind", "EndpointSlice");
        ObjectNode meta = slice.putObject("metadata");
        if (name == null) {
            String prefix = EndpointPods.name(endpoints) + "-";
            meta.put("generateName", prefix.length() > 253 - 5 ? "slice-" : prefix);
        } else {
            meta.put("name", name);
        }
        ObjectNode labels = JsonNodeFactory.instance.objectNode();
        endpoints.path("metadata").path("labels").fields().forEachRemaining(e -> {
            if (!e.getKey().equals(EndpointSliceReconciler.MANAGED_BY)
                    && !e.getKey().equals(EndpointSliceReconciler.SERVICE_NAME)) {
                labels.set(e.getKey(), e.getValue());
            }
        });
        labels.put(EndpointSliceReconciler.SERVICE_NAME, EndpointPods.name(endpoints));
        labels.put(EndpointSliceReconciler.MANAGED_BY, CONTROLLER);
        meta.set("labels", labels);
        ObjectNode annotations = JsonNodeFactory.instance.objectNode();
        endpoints.path("metadata").path("annotations").fields().forEachRemaining(e -> {
            if (!e.getKey().equals(EndpointsController.TRIGGER_TIME)
                    && !e.getKey().equals(LAST_APPLIED)) {
                annotations.set(e.getKey(), e.getValue());
            }
        });
        if (!annotations.isEmpty()) {
            meta.set("annotations", annotations);
        }
        meta.putArray("ownerReferences")
                .addObject()
                .put("apiVersion", "v1")
                .put("kind", "Endpoints")
                .put("name", EndpointPods.name(endpoints))
                .put("uid", endpoints.path("metadata").path("uid").asText())
                .put("controller", true)
                .put("blockOwnerDeletion", true);
        slice.put("addressType", addressType);
        slice.set("ports", ports.isEmpty() ? JsonNodeFactory.instance.nullNode() : ports);
        return slice;
    }

    private static boolean sameContent(JsonNode existing, JsonNode wanted) {
        return existing.path("endpoints").equals(wanted.path("endpoints"))
                && existing.path("ports").equals(wanted.path("ports"))
                && existing.path("metadata")
                        .path("labels")
                        .equals(wanted.path("metadata").path("labels"))
                && existing.path("metadata")
                        .path("annotations")
                        .equals(wanted.path("metadata").path("annotations"));
    }

    private Future<Void> apply(String namespace, EndpointSliceReconciler.Plan plan) {
        return plan.write(registry, served("discovery.k8s.io", "endpointslices"), namespace, identity);
    }

    private Future<JsonNode> optional(Future<ObjectNode> read) {
        return read.<JsonNode>map(o -> o)
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture(null) : Future.failedFuture(e));
    }

    private ServedResource served(String group, String plural) {
        return registry.catalog().lookupAnyVersion(group, plural).orElseThrow();
    }
}
