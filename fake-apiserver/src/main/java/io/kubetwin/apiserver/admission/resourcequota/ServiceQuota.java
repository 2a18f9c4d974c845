package io.kubetwin.apiserver.admission.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Quantity;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The service evaluator (pkg/quota/v1/evaluator/core/services.go): services and count/services, load
 * balancers, and node ports (every port of a NodePort or LoadBalancer service, or only those with a node
 * port when a load balancer allocates none). Creates and updates, since a service's type can change.
 */
final class ServiceQuota implements QuotaEvaluator {
    private static final Set<String> RESOURCES =
            Set.of("count/services", "services", "services.loadbalancers", "services.nodeports");

    @Override
    public boolean handles(AdmissionAttributes a) {
        return a.subresource().isEmpty() && (a.operation() == Operation.CREATE || a.operation() == Operation.UPDATE);
    }

    @Override
    public Set<String> matchingResources(Collection<String> hard) {
        Set<String> out = new TreeSet<>(hard);
        out.retainAll(RESOURCES);
        return out;
    }

    @Override
    public Map<String, Quantity> usage(JsonNode svc, Instant now) {
        JsonNode spec = svc.path("spec");
        int ports = spec.path("ports").size();
        Map<String, Quantity> out = new TreeMap<>();
        out.put("count/services", Quantity.of(1));
        out.put("services", Quantity.of(1));
        out.put("services.loadbalancers", Quantity.ZERO);
        out.put("services.nodeports", Quantity.ZERO);
        switch (spec.path("type").asText("")) {
            case "NodePort" -> out.put("services.nodeports", Quantity.of(ports));
            case "LoadBalancer" -> {
                if (spec.path("allocateLoadBalancerNodePorts").isBoolean()
                        && !spec.path("allocateLoadBalancerNodePorts").asBoolean()) {
                    int withNodePort = 0;
                    for (JsonNode p : spec.path("ports")) {
                        if (p.path("nodePort").asInt(0) != 0) {
                            withNodePort++;
                        }
                    }
                    out.put("services.nodeports", Quantity.of(withNodePort));
                } else {
                    out.put("services.nodeports", Quantity.of(ports));
                }
                out.put("services.loadbalancers", Quantity.of(1));
            }
            default -> {}
        }
        return out;
    }
}
