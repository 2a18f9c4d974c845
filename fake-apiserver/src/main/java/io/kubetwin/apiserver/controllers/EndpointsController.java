package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.OptionalInt;

/**
 * The endpoints controller (pkg/controller/endpoint/endpoints_controller.go): every Service with a selector (not
 * ExternalName) gets an Endpoints object of its name with its labels, {@code endpoints.kubernetes.io/managed-by:
 * endpoint-controller}, {@code service.kubernetes.io/headless} when headless, the last-change-trigger-time
 * annotation, and the selected pods that have an IP in subsets repacked as upstream's RepackSubsets
 * ({@link EndpointSubsets}); more than 1000 addresses are truncated with the over-capacity annotation. The
 * Endpoints go with the Service, and come back when deleted while it exists.
 */
final class EndpointsController extends QueueController {
    static final String NAME = "endpoint-controller";
    static final String MANAGED_BY = "endpoints.kubernetes.io/managed-by";
    static final String HEADLESS = "service.kubernetes.io/headless";
    static final String TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time";
    static final String OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity";
    static final int MAX_CAPACITY = 1000;
    private static final ResourceKey SERVICES = new ResourceKey("", "services");
    private static final ResourceKey PODS = new ResourceKey("", "pods");
    private static final ResourceKey ENDPOINTS = new ResourceKey("", "endpoints");

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final ServiceIndex services = new ServiceIndex();
    private final TriggerTimeTracker triggerTimes = new TriggerTimeTracker();

    EndpointsController(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, NAME);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(SERVICES, services::record),
                new Source(PODS, services::selecting),
                // an Endpoints object deleted while its Service exists is written again (onEndpointsDelete)
                new Source(
                        ENDPOINTS,
                        (type, ep) -> type == WatchEvent.Type.DELETED ? List.of(EndpointPods.key(ep)) : List.of()));
    }

    @Override
    protected Future<Void> sync(String key) {
        String namespace = key.substring(0, key.indexOf('/'));
        String name = key.substring(key.indexOf('/') + 1);
        ServedResource svcs = registry.catalog().lookup("", "v1", "services").orElseThrow();
        return registry.get(svcs, namespace, name).compose(service -> syncService(service), e -> {
            if (!ControllerIdentity.isNotFound(e)) {
                return Future.failedFuture(e);
            }
            triggerTimes.delete(key);
            return new Deleter(registry)
                    .delete(endpoints(), namespace, name, Deleter.Options.defaults(), identity)
                    .<Void>mapEmpty()
                    .recover(d -> ControllerIdentity.isNotFound(d) ? Future.succeededFuture() : Future.failedFuture(d));
        });
    }

    private Future<Void> syncService(ObjectNode service) {
        if ("ExternalName".equals(service.path("spec").path("type").asText()) || !EndpointPods.hasSelector(service)) {
            return Future.succeededFuture();
        }
        String namespace = EndpointPods.namespace(service);
        String name = EndpointPods.name(service);
        return registry.storage().list(PODS, namespace).compose(list -> {
            List<JsonNode> pods = new ArrayList<>();
            list.items().stream().filter(p -> EndpointPods.selects(service, p)).forEach(pods::add);
            Instant triggerTime = triggerTimes.compute(service, pods);
            ArrayNode subsets = EndpointSubsets.repack(subsets(service, pods));
            return registry.get(endpoints(), namespace, name)
                    .map(current -> (ObjectNode) current)
                    .recover(e ->
                            ControllerIdentity.isNotFound(e) ? Future.succeededFuture(null) : Future.failedFuture(e))
                    .compose(current -> write(service, current, subsets, triggerTime));
        });
    }

    /** One subset per pod and port, as addEndpointSubset appends them before the repack. */
    private static ArrayNode subsets(JsonNode service, List<JsonNode> pods) {
        boolean publishNotReady =
                service.path("spec").path("publishNotReadyAddresses").asBoolean(false);
        ArrayNode subsets = JsonNodeFactory.instance.arrayNode();
        for (JsonNode pod : pods) {
            if (!EndpointPods.shouldBeInEndpoints(pod, publishNotReady)) {
                continue;
            }
            String ip = EndpointPods.ipOfFamily(pod, EndpointPods.serviceWantsIpv6(service, pod));
            if (ip == null) {
                continue;
            }
            ObjectNode address = JsonNodeFactory.instance.objectNode().put("ip", ip);
            String hostname = EndpointPods.hostname(pod, service);
            if (hostname != null) {
                address.put("hostname", hostname);
            }
            address.put("nodeName", pod.path("spec").path("nodeName").asText(""));
            EndpointPods.targetRef(address, pod);
            String list = publishNotReady || PodTemplates.isReady(pod) ? "addresses" : "notReadyAddresses";
            if (service.path("spec").path("ports").isEmpty()) {
                // a headless Service may have no ports: its addresses alone
                if ("None".equals(service.path("spec").path("clusterIP").asText())) {
                    subsets.addObject().putArray(list).add(address.deepCopy());
                }
                continue;
            }
            for (JsonNode servicePort : service.path("spec").path("ports")) {
                OptionalInt port = EndpointPods.findPort(pod, servicePort);
                if (port.isEmpty()) {
                    continue;
                }
                ObjectNode subset = subsets.addObject();
                subset.putArray(list).add(address.deepCopy());
                ObjectNode p = subset.putArray("ports").addObject();
                if (!servicePort.path("name").asText("").isEmpty()) {
                    p.put("name", servicePort.path("name").asText());
                }
                p.put("port", port.getAsInt())
                        .put("protocol", servicePort.path("protocol").asText("TCP"));
                if (servicePort.hasNonNull("appProtocol")) {
                    p.put("appProtocol", servicePort.path("appProtocol").asText());
                }
            }
        }
        return subsets;
    }

    private Future<Void> write(ObjectNode service, ObjectNode current, ArrayNode subsets, Instant triggerTime) {
        ObjectNode serviceLabels = service.path("metadata").get("labels") instanceof ObjectNode l
                ? l
                : JsonNodeFactory.instance.objectNode();
        if (current != null) {
            ObjectNode compareLabels = current.path("metadata").get("labels") instanceof ObjectNode l
                    ? l.deepCopy()
                    : JsonNodeFactory.instance.objectNode();
            compareLabels.remove(List.of(HEADLESS, MANAGED_BY));
            JsonNode currentSubsets =
                    current.path("subsets").isArray() ? current.get("subsets") : JsonNodeFactory.instance.arrayNode();
            boolean capacityAnnotationRight = EndpointSubsets.count(currentSubsets) <= MAX_CAPACITY
                    && !current.path("metadata").path("annotations").has(OVER_CAPACITY);
            if (currentSubsets.equals(subsets) && compareLabels.equals(serviceLabels) && capacityAnnotationRight) {
                return Future.succeededFuture();
            }
        }
        ObjectNode endpoints;
        if (current == null) {
            endpoints = JsonNodeFactory.instance
                    .objectNode()
                    .put("apiVersion", "v1")
                    .put("kind", "Endpoints");
            endpoints.putObject("metadata").put("name", EndpointPods.name(service));
        } else {
            endpoints = current.deepCopy();
        }
        ObjectNode meta = (ObjectNode) endpoints.get("metadata");
        ObjectNode labels = serviceLabels.deepCopy();
        labels.put(MANAGED_BY, NAME);
        if (EndpointPods.headless(service)) {
            labels.put(HEADLESS, "");
        } else {
            labels.remove(HEADLESS);
        }
        meta.set("labels", labels);
        ObjectNode annotations =
                meta.get("annotations") instanceof ObjectNode a ? a : JsonNodeFactory.instance.objectNode();
        if (triggerTime != null) {
            annotations.put(TRIGGER_TIME, triggerTime.toString());
        } else {
            annotations.remove(TRIGGER_TIME);
        }
        if (EndpointSubsets.truncate(subsets, MAX_CAPACITY)) {
            annotations.put(OVER_CAPACITY, "truncated");
        } else {
            annotations.remove(OVER_CAPACITY);
        }
        if (annotations.isEmpty()) {
            meta.remove("annotations");
        } else {
            meta.set("annotations", annotations);
        }
        if (subsets.isEmpty()) {
            endpoints.remove("subsets");
        } else {
            endpoints.set("subsets", subsets);
        }
        String namespace = EndpointPods.namespace(service);
        if (current == null) {
            return registry.create(endpoints(), namespace, endpoints, identity, false)
                    .<Void>mapEmpty()
                    .recover(e -> ControllerIdentity.isNamespaceTerminating(e)
                            ? Future.succeededFuture()
                            : Future.failedFuture(e));
        }
        return registry.update(endpoints(), namespace, EndpointPods.name(service), endpoints, "", identity, false)
                .mapEmpty();
    }

    private ServedResource endpoints() {
        return registry.catalog().lookup("", "v1", "endpoints").orElseThrow();
    }
}
