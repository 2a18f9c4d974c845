package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Services an endpoint controller has seen, by namespace, so that a pod's change queues the Services
 * that select it (upstream's getPodServiceMemberships over the service lister). Fed from the Services' watch;
 * thread-safe.
 */
final class ServiceIndex {
    private final Map<String, Map<String, JsonNode>> byNamespace = new ConcurrentHashMap<>();

    /** Records one watch event of a Service and answers its key. */
    List<String> record(WatchEvent.Type type, ObjectNode service) {
        Map<String, JsonNode> services =
                byNamespace.computeIfAbsent(EndpointPods.namespace(service), n -> new ConcurrentHashMap<>());
        if (type == WatchEvent.Type.DELETED) {
            services.remove(EndpointPods.name(service));
        } else {
            services.put(EndpointPods.name(service), service);
        }
        return List.of(EndpointPods.key(service));
    }

    /**
     * The keys of the Services with a selector in the pod's namespace that select it. The watch gives no old
     * labels, so a pod whose labels changed also queues the Services it no longer matches: all those with
     * selectors in its namespace.
     */
    List<String> selecting(WatchEvent.Type type, ObjectNode pod) {
        List<String> keys = new ArrayList<>();
        for (JsonNode service :
                byNamespace.getOrDefault(EndpointPods.namespace(pod), Map.of()).values()) {
            if (EndpointPods.hasSelector(service)
                    && (type == WatchEvent.Type.MODIFIED || EndpointPods.selects(service, pod))) {
                keys.add(EndpointPods.key(service));
            }
        }
        return keys;
    }
}
