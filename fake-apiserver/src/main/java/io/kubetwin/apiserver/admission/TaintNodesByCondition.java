package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

/**
 * The TaintNodesByCondition plugin (plugin/pkg/admission/nodetaint/admission.go), enabled by default: a
 * new Node gets the {@code node.kubernetes.io/not-ready:NoSchedule} taint unless it already has one with
 * that key and effect, so nothing is scheduled on it before the node lifecycle controller has seen it ready.
 */
public final class TaintNodesByCondition implements AdmissionPlugin {
    static final String NOT_READY = "node.kubernetes.io/not-ready";

    @Override
    public String name() {
        return "TaintNodesByCondition";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (!a.resourceGroup().isEmpty()
                || !"nodes".equals(a.resource())
                || !a.subresource().isEmpty()
                || a.object() == null) {
            return Future.succeededFuture();
        }
        ObjectNode spec =
                a.object().get("spec") instanceof ObjectNode s ? s : a.object().putObject("spec");
        ArrayNode taints = spec.get("taints") instanceof ArrayNode t ? t : spec.putArray("taints");
        for (JsonNode t : taints) {
            // Taint.MatchTaint: same key and effect
            if (NOT_READY.equals(t.path("key").asText())
                    && "NoSchedule".equals(t.path("effect").asText())) {
                return Future.succeededFuture();
            }
        }
        taints.addObject().put("key", NOT_READY).put("effect", "NoSchedule");
        return Future.succeededFuture();
    }
}
