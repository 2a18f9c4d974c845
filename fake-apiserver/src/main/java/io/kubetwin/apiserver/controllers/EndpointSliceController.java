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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The EndpointSlice controller (pkg/controller/endpointslice/endpointslice_controller.go): every Service with a
 * selector (not ExternalName) gets EndpointSlices, one address type per ipFamily, labelled with the Service's
 * name and {@code endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io}, owned by the Service
 * (the garbage collector deletes them with it), with an endpoint per selected pod that has an IP of the type:
 * conditions ready, serving and terminating, hostname, targetRef, nodeName and the node's zone. A pod whose node
 * does not exist is left out and the Service retried, as upstream. The plan is {@link EndpointSliceReconciler}'s.
 */
final class EndpointSliceController extends QueueController {
    static final String NAME = "endpointslice-controller";
    static final String ZONE = "topology.kubernetes.io/zone";
    private static final ResourceKey SERVICES = new ResourceKey("", "services");
    private static final ResourceKey PODS = new ResourceKey("", "pods");
    private static final ResourceKey SLICES = new ResourceKey("discovery.k8s.io", "endpointslices");

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final ServiceIndex services = new ServiceIndex();
    private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();

    EndpointSliceController(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, NAME);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(SERVICES, services::record),
                new Source(PODS, services::selecting),
                new Source(
                        SLICES,
                        (type, slice) -> managed(slice)
                                ? List.of(EndpointPods.namespace(slice) + "/"
                                        + slice.path("metadata")
                                                .path("labels")
                                                .path(EndpointSliceReconciler.SERVICE_NAME)
                                                .asText())
                                : List.of()));
    }

    private static boolean managed(JsonNode slice) {
        JsonNode labels = slice.path("metadata").path("labels");
        return EndpointSliceReconciler.CONTROLLER.equals(
                        labels.path(EndpointSliceReconciler.MANAGED_BY).asText())
                && labels.hasNonNull(EndpointSliceReconciler.SERVICE_NAME);
    }

    @Override
    protected Future<Void> sync(String key) {
        String namespace = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        ServedResource svcs = registry.catalog().lookup("", "v1", "services").orElseThrow();
        return registry.get(svcs, namespace, name).compose(this::syncService, e -> {
            if (!ControllerIdentity.isNotFound(e)) {
                return Future.failedFuture(e);
            }
            // the garbage collector deletes the slices, owned by the Service
            triggerTimes.delete(key);
            return Future.succeededFuture();
        });
    }

    private Future<Void> syncService(ObjectNode service) {
        if ("ExternalName".equals(service.path("spec").path("type").asText()) || !EndpointPods.hasSelector(service)) {
            return Future.succeededFuture();
        }
        String namespace = EndpointPods.namespace(service);
        String name = EndpointPods.name(service);
        Future<List<ObjectNode>> pods = registry.storage()
                .list(PODS, namespace)
                .map(list -> list.items().stream()
                        .filter(p -> EndpointPods.selects(service, p))
                        .toList());
        Future<List<ObjectNode>> slices = registry.storage()
                .list(SLICES, namespace)
                .map(list -> list.items().stream()
                        .filter(s -> managed(s)
                                && name.equals(s.path("metadata")
                                        .path("labels")
                                        .path(EndpointSliceReconciler.SERVICE_NAME)
                                        .asText())
                                && !EndpointPods.terminating(s))
                        .toList());
        Future<Map<String, JsonNode>> nodes = registry.storage()
                .list(new ResourceKey("", "nodes"), null)
                .map(list -> {
                    Map<String, JsonNode> byName = new HashMap<>();
                    list.items().forEach(n -> byName.put(EndpointPods.name(n), n));
                    return byName;
                });
        return Future.all(pods, slices, nodes).compose(all -> {
            List<ObjectNode> selected = all.resultAt(0);
            Instant triggerTime = triggerTimes.compute(service, new ArrayList<>(selected));
            List<String> missingNodes = new ArrayList<>();
            List<EndpointSliceReconciler.Desired> desired = new ArrayList<>();
            for (String addressType : addressTypes(service)) {
                desired.add(desired(service, addressType, selected, all.resultAt(2), missingNodes));
            }
            EndpointSliceReconciler.Plan plan = EndpointSliceReconciler.reconcile(service, desired, all.resultAt(1));
            return apply(namespace, plan, triggerTime)
                    .compose(v -> missingNodes.isEmpty()
                            ? Future.<Void>succeededFuture()
                            : Future.<Void>failedFuture("skipping pods of Service " + namespace + "/" + name + ": Node "
                                    + missingNodes.get(0) + " Not Found"));
        });
    }

    /** getAddressTypesForService: the ipFamilies; else the clusterIP's family; else, headless, both. */
    static List<String> addressTypes(JsonNode service) {
        List<String> types = new ArrayList<>();
        for (JsonNode family : service.path("spec").path("ipFamilies")) {
            if (!types.contains(family.asText())) {
                types.add(family.asText());
            }
        }
        if (!types.isEmpty()) {
            return types;
        }
        if (!EndpointPods.headless(service)) {
            return List.of(service.path("spec").path("clusterIP").asText().contains(":") ? "IPv6" : "IPv4");
        }
        return List.of("IPv4", "IPv6");
    }

    private static EndpointSliceReconciler.Desired desired(
            JsonNode service,
            String addressType,
            List<ObjectNode> pods,
            Map<String, JsonNode> nodes,
            List<String> missingNodes) {
        Map<String, List<ObjectNode>> endpoints = new LinkedHashMap<>();
        Map<String, ArrayNode> portSets = new LinkedHashMap<>();
        for (JsonNode pod : pods) {
            if (!EndpointPods.shouldBeInEndpoints(pod, true)) {
                continue;
            }
            String nodeName = pod.path("spec").path("nodeName").asText("");
            JsonNode node = nodes.get(nodeName);
            if (!nodeName.isEmpty() && node == null) {
                missingNodes.add(nodeName);
                continue;
            }
            ObjectNode endpoint = endpoint(service, pod, node, addressType);
            if (endpoint.path("addresses").isEmpty()) {
                continue;
            }
            ArrayNode ports = ports(service, pod);
            String key = EndpointSliceReconciler.portsKey(ports);
            portSets.putIfAbsent(key, ports);
            endpoints.computeIfAbsent(key, k -> new ArrayList<>()).add(endpoint);
        }
        return new EndpointSliceReconciler.Desired(addressType, endpoints, portSets);
    }

    /** podToEndpoint. */
    private static ObjectNode endpoint(JsonNode service, JsonNode pod, JsonNode node, String addressType) {
        boolean serving = PodTemplates.isReady(pod);
        boolean terminating = EndpointPods.terminating(pod);
        boolean ready =
                service.path("spec").path("publishNotReadyAddresses").asBoolean(false) || (serving && !terminating);
        ObjectNode ep = JsonNodeFactory.instance.objectNode();
        ArrayNode addresses = ep.putArray("addresses");
        for (JsonNode ip : pod.path("status").path("podIPs")) {
            String address = ip.path("ip").asText("");
            if (!address.isEmpty() && address.contains(":") == addressType.equals("IPv6")) {
                addresses.add(address);
            }
        }
        ep.putObject("conditions").put("ready", ready).put("serving", serving).put("terminating", terminating);
        String hostname = EndpointPods.hostname(pod, service);
        if (hostname != null) {
            ep.put("hostname", hostname);
        }
        EndpointPods.targetRef(ep, pod);
        String nodeName = pod.path("spec").path("nodeName").asText("");
        if (!nodeName.isEmpty()) {
            ep.put("nodeName", nodeName);
        }
        if (node != null
                && !node.path("metadata").path("labels").path(ZONE).asText("").isEmpty()) {
            ep.put("zone", node.path("metadata").path("labels").path(ZONE).asText());
        }
        return ep;
    }

    /** getEndpointPorts: each Service port the pod resolves, sorted by hash; none for a headless Service without. */
    private static ArrayNode ports(JsonNode service, JsonNode pod) {
        List<ObjectNode> ports = new ArrayList<>();
        for (JsonNode servicePort : service.path("spec").path("ports")) {
            OptionalInt port = EndpointPods.findPort(pod, servicePort);
            if (port.isEmpty()) {
                continue;
            }
            ObjectNode p = JsonNodeFactory.instance
                    .objectNode()
                    .put("name", servicePort.path("name").asText(""))
                    .put("protocol", servicePort.path("protocol").asText("TCP"))
                    .put("port", port.getAsInt());
            if (servicePort.hasNonNull("appProtocol")) {
                p.put("appProtocol", servicePort.path("appProtocol").asText());
            }
            ports.add(p);
        }
        ports.sort(Comparator.comparing(EndpointHashes::slicePort));
        return JsonNodeFactory.instance.arrayNode().addAll(ports);
    }

    private Future<Void> apply(String namespace, EndpointSliceReconciler.Plan plan, Instant triggerTime) {
        plan.creates().forEach(slice -> annotate(slice, triggerTime));
        plan.updates().forEach(slice -> annotate(slice, triggerTime));
        ServedResource slices = registry.catalog()
                .lookup("discovery.k8s.io", "v1", "endpointslices")
                .orElseThrow();
        return plan.write(registry, slices, namespace, identity);
    }

    /** addTriggerTimeAnnotation: set, or cleared when nothing moved. */
    private static void annotate(ObjectNode slice, Instant triggerTime) {
        ObjectNode meta = (ObjectNode) slice.get("metadata");
        ObjectNode annotations =
                meta.get("annotations") instanceof ObjectNode a ? a : JsonNodeFactory.instance.objectNode();
        if (triggerTime != null) {
            annotations.put(EndpointsController.TRIGGER_TIME, triggerTime.toString());
        } else {
            annotations.remove(EndpointsController.TRIGGER_TIME);
        }
        if (annotations.isEmpty()) {
            meta.remove("annotations");
        } else {
            meta.set("annotations", annotations);
        }
    }
}
