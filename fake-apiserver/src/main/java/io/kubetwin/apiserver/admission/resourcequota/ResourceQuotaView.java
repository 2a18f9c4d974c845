package io.kubetwin.apiserver.admission.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Quantity;
import io.kubetwin.apiserver.api.ResourceLists;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parts of a ResourceQuota that quota reads: the hard limits the controller copied to status (admission
 * enforces {@code status.hard}, not {@code spec.hard}: a quota the controller has not seen yet limits
 * nothing), the usage in status, and its scopes as selectors (getScopeSelectorsFromQuota).
 */
public record ResourceQuotaView(
        ObjectNode object,
        String name,
        Map<String, Quantity> specHard,
        Map<String, Quantity> hard,
        Map<String, Quantity> used,
        List<QuotaEvaluator.ScopeSelector> scopeSelectors) {

    public static ResourceQuotaView of(ObjectNode quota) {
        List<QuotaEvaluator.ScopeSelector> selectors = new ArrayList<>();
        for (JsonNode scope : quota.path("spec").path("scopes")) {
            selectors.add(new QuotaEvaluator.ScopeSelector(scope.asText(), "Exists", List.of()));
        }
        for (JsonNode e : quota.path("spec").path("scopeSelector").path("matchExpressions")) {
            List<String> values = new ArrayList<>();
            e.path("values").forEach(v -> values.add(v.asText()));
            selectors.add(new QuotaEvaluator.ScopeSelector(
                    e.path("scopeName").asText(), e.path("operator").asText(), List.copyOf(values)));
        }
        return new ResourceQuotaView(
                quota,
                quota.path("metadata").path("name").asText(),
                ResourceLists.read(quota.path("spec").path("hard")),
                ResourceLists.read(quota.path("status").path("hard")),
                ResourceLists.read(quota.path("status").path("used")),
                List.copyOf(selectors));
    }

    public String resourceVersion() {
        return object.path("metadata").path("resourceVersion").asText("");
    }
}
