package io.kubetwin.apiserver.registry.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Label selectors and label sets as text, as apimachinery writes them: labels.FormatLabels,
 * metav1.LabelSelectorAsSelector(...).String() and metav1.FormatLabelSelector.
 */
public final class Selectors {
    private Selectors() {}

    /** labels.FormatLabels: sorted {@code k=v} pairs joined by commas, "&lt;none&gt;" when empty. */
    public static String formatLabels(JsonNode labels) {
        String s = labelSet(labels);
        return s.isEmpty() ? "<none>" : s;
    }

    /** labels.SelectorFromSet(set).String(): sorted {@code k=v} pairs, "" when empty. */
    public static String labelSet(JsonNode labels) {
        TreeMap<String, String> sorted = new TreeMap<>();
        if (labels != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), e.getValue().asText(""));
            }
        }
        List<String> parts = new ArrayList<>();
        sorted.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    /** metav1.LabelSelectorAsSelector(s).String(): requirements sorted by key, "" for a nil or empty selector. */
    public static String selector(JsonNode labelSelector) {
        if (labelSelector == null || !labelSelector.isObject()) {
            return "";
        }
        List<String[]> requirements = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        labelSelector.path("matchLabels").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            requirements.add(
                    new String[] {e.getKey(), e.getKey() + "=" + e.getValue().asText("")});
        }
        for (JsonNode expr : labelSelector.path("matchExpressions")) {
            String key = expr.path("key").asText("");
            List<String> values = new ArrayList<>();
            expr.path("values").forEach(v -> values.add(v.asText()));
            values.sort(null);
            String text =
                    switch (expr.path("operator").asText("")) {
                        case "In" -> key + " in (" + String.join(",", values) + ")";
                        case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                        case "Exists" -> key;
                        case "DoesNotExist" -> "!" + key;
                        default -> key;
                    };
            requirements.add(new String[] {key, text});
        }
        requirements.sort(Comparator.comparing(r -> r[0]));
        List<String> parts = new ArrayList<>();
        requirements.forEach(r -> parts.add(r[1]));
        return String.join(",", parts);
    }

    /** metav1.FormatLabelSelector: as {@link #selector}, "&lt;none&gt;" when empty. */
    public static String formatSelector(JsonNode labelSelector) {
        String s = selector(labelSelector);
        return s.isEmpty() ? "<none>" : s;
    }
}
