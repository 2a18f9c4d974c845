package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What both endpoint controllers read from pods and Services, as upstream's shared helpers
 * (k8s.io/endpointslice/util ShouldPodBeInEndpoints, ShouldSetHostname; pkg/api/v1/pod FindPort, IsPodReady).
 */
final class EndpointPods {
    private EndpointPods() {}

    /** A Service with a non-empty selector (an empty one does not survive the reference's protobuf storage). */
    static boolean hasSelector(JsonNode service) {
        JsonNode selector = service.path("spec").path("selector");
        return selector.isObject() && selector.size() > 0;
    }

    /** labels.Set(selector).AsSelector().Matches(pod labels): every selector pair is among the labels. */
    static boolean selects(JsonNode service, JsonNode pod) {
        JsonNode labels = pod.path("metadata").path("labels");
        Iterator<Map.Entry<String, JsonNode>> it =
                service.path("spec").path("selector").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!labels.path(e.getKey()).isTextual()
                    || !labels.path(e.getKey()).asText().equals(e.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    /** ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless {@code includeTerminating}. */
    static boolean shouldBeInEndpoints(JsonNode pod, boolean includeTerminating) {
        String phase = pod.path("status").path("phase").asText("");
        if (phase.equals("Failed") || phase.equals("Succeeded")) {
            return false;
        }
        if (pod.path("status").path("podIP").asText("").isEmpty()
                && pod.path("status").path("podIPs").isEmpty()) {
            return false;
        }
        return includeTerminating || !terminating(pod);
    }

    static boolean terminating(JsonNode pod) {
        return !pod.path("metadata").path("deletionTimestamp").isMissingNode()
                && !pod.path("metadata").path("deletionTimestamp").isNull();
    }

    /** ShouldSetHostname: the pod's hostname, when its subdomain is the Service's name in the same namespace. */
    static String hostname(JsonNode pod, JsonNode service) {
        String hostname = pod.path("spec").path("hostname").asText("");
        boolean applies = !hostname.isEmpty()
                && pod.path("spec").path("subdomain").asText("").equals(name(service))
                && namespace(pod).equals(namespace(service));
        return applies ? hostname : null;
    }

    /**
     * FindPort: a numeric targetPort as is; a named one from the containers' ports (then restartable init
     * containers', the sidecars) with that name and the Service port's protocol; empty when none matches.
     */
    static OptionalInt findPort(JsonNode pod, JsonNode servicePort) {
        JsonNode target = servicePort.get("targetPort");
        if (target == null || target.isNull()) {
            return OptionalInt.of(servicePort.path("port").asInt());
        }
        if (target.isNumber()) {
            return OptionalInt.of(target.asInt());
        }
        String name = target.asText();
        String protocol = servicePort.path("protocol").asText("TCP");
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : pod.path("spec").path(list)) {
                if (list.equals("initContainers")
                        && !"Always".equals(c.path("restartPolicy").asText())) {
                    continue;
                }
                for (JsonNode p : c.path("ports")) {
                    if (name.equals(p.path("name").asText())
                            && protocol.equals(p.path("protocol").asText("TCP"))) {
                        return OptionalInt.of(p.path("containerPort").asInt());
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    /** The pod's first IP of the family (IPv4 or IPv6), or null. */
    static String ipOfFamily(JsonNode pod, boolean ipv6) {
        for (JsonNode ip : pod.path("status").path("podIPs")) {
            String address = ip.path("ip").asText("");
            if (!address.isEmpty() && address.contains(":") == ipv6) {
                return address;
            }
        }
        return null;
    }

    /**
     * The family the Endpoints controller picks (podToEndpointAddressForService): the Service's first ipFamily;
     * else its clusterIP's; else, headless, the pod IP's.
     */
    static boolean serviceWantsIpv6(JsonNode service, JsonNode pod) {
        JsonNode families = service.path("spec").path("ipFamilies");
        if (families.size() > 0) {
            return "IPv6".equals(families.get(0).asText());
        }
        String clusterIp = service.path("spec").path("clusterIP").asText("");
        if (!clusterIp.isEmpty() && !clusterIp.equals("None")) {
            return clusterIp.contains(":");
        }
        return pod.path("status").path("podIP").asText("").contains(":");
    }

    /** helper.IsServiceIPSet: a clusterIP other than None. */
    static boolean headless(JsonNode service) {
        String clusterIp = service.path("spec").path("clusterIP").asText("");
        return clusterIp.isEmpty() || clusterIp.equals("None");
    }

    /** The targetRef both controllers write: kind, namespace, name and uid of the pod. */
    static void targetRef(ObjectNode into, JsonNode pod) {
        into.putObject("targetRef")
                .put("kind", "Pod")
                .put("namespace", namespace(pod))
                .put("name", name(pod))
                .put("uid", pod.path("metadata").path("uid").asText(""));
    }

    static String name(JsonNode o) {
        return o.path("metadata").path("name").asText("");
    }

    static String namespace(JsonNode o) {
        return o.path("metadata").path("namespace").asText("");
    }

    static String key(JsonNode o) {
        return namespace(o) + "/" + name(o);
    }
}
