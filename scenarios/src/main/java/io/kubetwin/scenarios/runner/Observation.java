package io.kubetwin.scenarios.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.client.ApiClient;
import io.kubetwin.client.Kubectl;
import java.util.List;

/**
 * Everything recorded for one step on one target: the HTTP response or the kubectl result, and the audit events
 * attributed to the step.
 */
public record Observation(
        ApiClient.Response response, Kubectl.Result kubectl, List<JsonNode> auditEvents, boolean auditReadable) {
    public Observation {
        auditEvents = auditEvents == null ? List.of() : List.copyOf(auditEvents);
    }
}
