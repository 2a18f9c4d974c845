package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.GoFieldOrder;

/**
 * autoscaling/v1 HorizontalPodAutoscalers over their autoscaling/v2 storage (pkg/apis/autoscaling/v1/conversion.go):
 * targetCPUUtilizationPercentage is the cpu Utilization metric, currentCPUUtilizationPercentage the matching
 * current metric; and the v2 defaults (minReplicas 1, a cpu metric at 80% when none is given). Metrics other
 * than cpu utilization, conditions and behavior, which v1 carries in annotations upstream, are not carried.
 */
public final class HpaConversion {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private HpaConversion() {}

    /** SetDefaults_HorizontalPodAutoscaler of autoscaling/v2. */
    static void defaultsV2(ObjectNode hpa) {
        ObjectNode spec = BuiltInStrategy.object(hpa, "spec");
        if (!spec.hasNonNull("minReplicas")) {
            spec.put("minReplicas", 1);
        }
        if (spec.path("metrics").size() == 0) {
            spec.putArray("metrics").add(cpuMetric(80));
        }
    }

    /** The v1 object as stored (v2). */
    public static ObjectNode toV2(ObjectNode v1) {
        ObjectNode out = v1.deepCopy();
        out.put("apiVersion", "autoscaling/v2");
        if (out.get("spec") instanceof ObjectNode spec) {
            JsonNode target = spec.remove("targetCPUUtilizationPercentage");
            if (target != null && target.isNumber()) {
                spec.putArray("metrics").add(cpuMetric(target.asInt()));
            }
        }
        if (out.get("status") instanceof ObjectNode status) {
            JsonNode current = status.remove("currentCPUUtilizationPercentage");
            if (current != null && current.isNumber()) {
                ObjectNode m = status.putArray("currentMetrics").addObject().put("type", "Resource");
                m.putObject("resource")
                        .put("name", "cpu")
                        .putObject("current")
                        .put("averageUtilization", current.asInt());
            }
        }
        return out;
    }

    /** The stored (v2) object as autoscaling/v1 serves it. */
    public static ObjectNode toV1(ObjectNode v2) {
        ObjectNode out = v2.deepCopy();
        out.put("apiVersion", "autoscaling/v1");
        if (out.get("spec") instanceof ObjectNode spec) {
            JsonNode metrics = spec.remove("metrics");
            spec.remove("behavior");
            Integer cpu = cpuUtilization(metrics, "target");
            if (cpu != null) {
                spec.put("targetCPUUtilizationPercentage", cpu);
            }
        }
        ObjectNode status = out.get("status") instanceof ObjectNode s ? s : out.putObject("status");
        JsonNode currentMetrics = status.remove("currentMetrics");
        status.remove("conditions");
        if (!status.has("currentReplicas")) {
            status.put("currentReplicas", 0);
        }
        if (!status.has("desiredReplicas")) {
            status.put("desiredReplicas", 0);
        }
        Integer current = cpuUtilization(currentMetrics, "current");
        if (current != null) {
            status.put("currentCPUUtilizationPercentage", current);
        }
        GoFieldOrder.apply(out);
        return out;
    }

    private static Integer cpuUtilization(JsonNode metrics, String field) {
        if (metrics instanceof ArrayNode list) {
            for (JsonNode m : list) {
                JsonNode r = m.path("resource");
                if ("Resource".equals(m.path("type").asText())
                        && "cpu".equals(r.path("name").asText())
                        && r.path(field).hasNonNull("averageUtilization")) {
                    return r.path(field).get("averageUtilization").asInt();
                }
            }
        }
        return null;
    }

    private static ObjectNode cpuMetric(int utilization) {
        ObjectNode m = JSON.objectNode().put("type", "Resource");
        m.putObject("resource")
                .put("name", "cpu")
                .putObject("target")
                .put("type", "Utilization")
                .put("averageUtilization", utilization);
        return m;
    }
}
