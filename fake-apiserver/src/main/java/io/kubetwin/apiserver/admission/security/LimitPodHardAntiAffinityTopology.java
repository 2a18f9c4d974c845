package io.kubetwin.apiserver.admission.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Statuses;
import io.vertx.core.Future;

/**
 * The LimitPodHardAntiAffinityTopology plugin (plugin/pkg/admission/antiaffinity/admission.go): required
 * pod anti-affinity may only use the {@code kubernetes.io/hostname} topology key, so one pod cannot keep a
 * whole zone to itself. Upstream builds the 403 from the pod's own name (empty for generateName).
 */
public final class LimitPodHardAntiAffinityTopology implements AdmissionPlugin {
    static final String HOSTNAME = "kubernetes.io/hostname";

    @Override
    public String name() {
        return "LimitPodHardAntiAffinityTopology";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (!a.subresource().isEmpty()
                || !a.resourceGroup().isEmpty()
                || !"pods".equals(a.resource())
                || a.object() == null) {
            return Future.succeededFuture();
        }
        JsonNode terms = a.object()
                .path("spec")
                .path("affinity")
                .path("podAntiAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution");
        for (JsonNode t : terms) {
            String key = t.path("topologyKey").asText("");
            if (!HOSTNAME.equals(key)) {
                return Future.failedFuture(Statuses.forbiddenWithDetail(
                        "",
                        "pods",
                        a.object().path("metadata").path("name").asText(""),
                        "affinity.PodAntiAffinity.RequiredDuringScheduling has TopologyKey " + key + " but only key "
                                + HOSTNAME + " is allowed"));
            }
        }
        return Future.succeededFuture();
    }
}
