package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ServedResource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The namespace deletion conditions (pkg/controller/namespace/deletion/status_condition_utils.go): five condition
 * types in a fixed order, each either its failure found in this pass or its success text; a condition's
 * lastTransitionTime changes only when its status does. Not thread-safe: one per sync.
 */
final class NamespaceConditions {
    private record Condition(String type, String status, String reason, String message) {}

    /** The condition types, in upstream's order, with their success reason and message. */
    private static final List<Condition> OK = List.of(
            new Condition(
                    "NamespaceDeletionDiscoveryFailure",
                    "False",
                    "ResourcesDiscovered",
                    "All resources successfully discovered"),
            new Condition(
                    "NamespaceDeletionGroupVersionParsingFailure",
                    "False",
                    "ParsedGroupVersions",
                    "All legacy kube types successfully parsed"),
            new Condition(
                    "NamespaceDeletionContentFailure",
                    "False",
                    "ContentDeleted",
                    "All content successfully deleted, may be waiting on finalization"),
            new Condition("NamespaceContentRemaining", "False", "ContentRemoved", "All content successfully removed"),
            new Condition(
                    "NamespaceFinalizersRemaining",
                    "False",
                    "ContentHasNoFinalizers",
                    "All content-preserving finalizers finished"));

    private final Map<String, Condition> found = new LinkedHashMap<>();
    private final List<String> deleteErrors = new ArrayList<>();

    /** ProcessDeleteContentErr. */
    void deleteContentError(String message) {
        deleteErrors.add(message);
    }

    /** ProcessContentTotals: what remains per resource ("configmaps." for the core group) and per finalizer. */
    void contentTotals(Map<ServedResource, Integer> remaining, Map<String, Integer> finalizers) {
        if (!remaining.isEmpty()) {
            List<String> parts = new ArrayList<>();
            remaining.forEach((r, n) ->
                    parts.add(r.type().plural() + "." + r.type().group() + " has " + n + " resource instances"));
            parts.sort(null);
            found.put(
                    "NamespaceContentRemaining",
                    new Condition(
                            "NamespaceContentRemaining",
                            "True",
                            "SomeResourcesRemain",
                            "Some resources are remaining: " + String.join(", ", parts)));
        }
        if (!finalizers.isEmpty()) {
            List<String> parts = new ArrayList<>();
            finalizers.forEach((f, n) -> parts.add(f + " in " + n + " resource instances"));
            parts.sort(null);
            found.put(
                    "NamespaceFinalizersRemaining",
                    new Condition(
                            "NamespaceFinalizersRemaining",
                            "True",
                            "SomeFinalizersRemain",
                            "Some content in the namespace has finalizers remaining: " + String.join(", ", parts)));
        }
    }

    /** Update/updateConditions: brings {@code conditions} (the namespace's status.conditions) in line; answers whether it changed. */
    boolean update(ArrayNode conditions, Instant now) {
        if (!deleteErrors.isEmpty() && !found.containsKey("NamespaceDeletionContentFailure")) {
            List<String> sorted = new ArrayList<>(deleteErrors);
            sorted.sort(null);
            found.put(
                    "NamespaceDeletionContentFailure",
                    new Condition(
                            "NamespaceDeletionContentFailure",
                            "True",
                            "ContentDeletionFailed",
                            "Failed to delete all resource types, " + sorted.size() + " remaining: "
                                    + String.join(", ", sorted)));
        }
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        boolean changed = false;
        for (Condition ok : OK) {
            Condition wanted = found.getOrDefault(ok.type(), ok);
            ObjectNode old = null;
            for (JsonNode c : conditions) {
                if (ok.type().equals(c.path("type").asText())) {
                    old = (ObjectNode) c;
                    break;
                }
            }
            if (old == null) {
                conditions
                        .addObject()
                        .put("type", wanted.type())
                        .put("status", wanted.status())
                        .put("lastTransitionTime", time)
                        .put("reason", wanted.reason())
                        .put("message", wanted.message());
                changed = true;
            } else if (!wanted.status().equals(old.path("status").asText())
                    || !wanted.reason().equals(old.path("reason").asText())
                    || !wanted.message().equals(old.path("message").asText())) {
                if (!wanted.status().equals(old.path("status").asText())) {
                    old.put("lastTransitionTime", time);
                }
                old.put("status", wanted.status());
                old.put("reason", wanted.reason());
                old.put("message", wanted.message());
                changed = true;
            }
        }
        return changed;
    }
}
