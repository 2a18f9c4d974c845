package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Service defaults (core/v1 SetDefaults_Service) and the allocations of service storage's REST create
 * (pkg/registry/core/service/storage: cluster IP, IP families, node ports), as the reference writes them.
 */
final class ServiceDefaults {
    private ServiceDefaults() {}

    static void defaults(ObjectNode o) {
        ObjectNode spec = BuiltInStrategy.object(o, "spec");
        if (!spec.has("type")) {
            spec.put("type", "ClusterIP");
        }
        if (!spec.has("sessionAffinity")) {
            spec.put("sessionAffinity", "None");
        }
        String type = spec.path("type").asText();
        for (JsonNode p : spec.path("ports")) {
            if (p instanceof ObjectNode port) {
                if (!port.has("protocol")) {
                    port.put("protocol", "TCP");
                }
                if (!port.has("targetPort") && port.has("port")) {
                    port.set("targetPort", port.get("port"));
                }
            }
        }
        if (!type.equals("ExternalName") && !spec.has("internalTrafficPolicy")) {
            spec.put("internalTrafficPolicy", "Cluster");
        }
        if ((type.equals("NodePort") || type.equals("LoadBalancer")) && !spec.has("externalTrafficPolicy")) {
            spec.put("externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer") && !spec.has("allocateLoadBalancerNodePorts")) {
            spec.put("allocateLoadBalancerNodePorts", true);
        }
    }

    /** REST create's allocations; the status is the empty load balancer status. */
    static void allocate(ObjectNode o, ServiceNetwork network) {
        ObjectNode spec = BuiltInStrategy.object(o, "spec");
        String type = spec.path("type").asText();
        if (!type.equals("ExternalName")) {
            String ip = spec.path("clusterIP").asText("");
            if (ip.isEmpty()) {
                ip = network.allocateIp();
                spec.put("clusterIP", ip);
            } else if (!ip.equals("None")) {
                network.reserveIp(ip);
            }
            if (!spec.has("clusterIPs")) {
                spec.putArray("clusterIPs").add(ip);
            }
            if (!spec.has("ipFamilies")) {
                spec.putArray("ipFamilies").add(ip.contains(":") ? "IPv6" : "IPv4");
            }
            if (!spec.has("ipFamilyPolicy")) {
                spec.put("ipFamilyPolicy", "SingleStack");
            }
        }
        boolean nodePorts = type.equals("NodePort")
                || type.equals("LoadBalancer")
                        && spec.path("allocateLoadBalancerNodePorts").asBoolean(true);
        for (JsonNode p : spec.path("ports")) {
            if (p instanceof ObjectNode port) {
                if (port.path("nodePort").asInt(0) != 0) {
                    network.reserveNodePort(port.get("nodePort").asInt());
                } else if (nodePorts) {
                    port.put("nodePort", network.allocateNodePort());
                }
            }
        }
    }

    /** patchAllocatedValues: what an update leaves out keeps its allocated value. */
    static void keepAllocated(ObjectNode o, ObjectNode old) {
        ObjectNode spec = BuiltInStrategy.object(o, "spec");
        JsonNode oldSpec = old.path("spec");
        // normalizeClusterIPs: a changed clusterIP with untouched clusterIPs becomes clusterIPs[0]
        if (spec.has("clusterIP")
                && oldSpec.has("clusterIP")
                && !spec.get("clusterIP").equals(oldSpec.get("clusterIP"))
                && spec.path("clusterIPs").equals(oldSpec.path("clusterIPs"))
                && spec.get("clusterIPs") instanceof ArrayNode ips
                && ips.size() > 0) {
            ips.set(0, spec.get("clusterIP"));
        }
        for (String f : new String[] {"clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"}) {
            if (!spec.has(f)
                    && oldSpec.has(f)
                    && spec.path("type").asText().equals(oldSpec.path("type").asText())) {
                spec.set(f, oldSpec.get(f).deepCopy());
            }
        }
        JsonNode oldPorts = oldSpec.path("ports");
        for (JsonNode p : spec.path("ports")) {
            if (p instanceof ObjectNode port && !port.has("nodePort")) {
                for (JsonNode q : oldPorts) {
                    if (q.path("port").equals(port.path("port")) && q.has("nodePort")) {
                        port.set("nodePort", q.get("nodePort"));
                    }
                }
            }
        }
    }
}
