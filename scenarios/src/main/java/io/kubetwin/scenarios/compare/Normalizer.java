package io.kubetwin.scenarios.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Replaces what legitimately differs between two clusters by placeholders, so that what remains must be equal.
 * Only identity-free values are touched: the rules below name exactly what is normalised and why.
 */
public final class Normalizer {

    /** Object fields whose values are per-cluster or per-request by nature. */
    private static final Set<String> VOLATILE_FIELDS = Set.of(
            "auditID",
            "requestReceivedTimestamp",
            "stageTimestamp",
            "timestamp",
            "creationTimestamp",
            "resourceVersion",
            "sourceIPs",
            "time",
            "expirationTimestamp",
            "deletionTimestamp",
            "lastTransitionTime",
            "lastUpdateTime",
            "certificate",
            "request",
            "caBundle",
            "selfLink");

    /** Annotations that measure time, not behaviour. */
    private static final Pattern LATENCY_ANNOTATION = Pattern.compile("apiserver\\.latency\\.k8s\\.io/.*");

    private record Rule(Pattern pattern, String replacement) {}

    private static final List<Rule> TEXT_RULES = List.of(
            // klog line headers carry the time and kubectl's PID
            new Rule(Pattern.compile("(?m)^([EWI])\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\s+\\d+ "), "$1<klog> "),
            new Rule(Pattern.compile("X509SHA256=[0-9a-f]{64}"), "X509SHA256=<fingerprint>"),
            new Rule(Pattern.compile("JTI=[0-9a-f-]{36}"), "JTI=<jti>"),
            new Rule(Pattern.compile("\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b"), "<uuid>"),
            new Rule(Pattern.compile("kubetwin-<uuid>"), "<audit-id>"),
            new Rule(Pattern.compile("(127\\.0\\.0\\.1|localhost|\\[::1\\]):\\d{2,5}"), "$1:<port>"),
            new Rule(Pattern.compile("SN=\\d+"), "SN=<serial>"),
            new Rule(Pattern.compile("(SKID|AKID)=[0-9A-F:]+"), "$1=<key-id>"),
            new Rule(Pattern.compile("kubetwin-([a-z0-9-]+)-[0-9a-f]{8}\\b"), "kubetwin-$1-<random>"),
            new Rule(Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), "<jwt>"),
            // an object printed inside a message (a patch's 422 shows the patched object, escaped)
            new Rule(Pattern.compile("(\\\\?\"resourceVersion\\\\?\":\\\\?\")\\d+"), "$1<resourceVersion>"),
            // an object in YAML text (Accept: application/yaml): its resourceVersion lines, as in JSON above
            new Rule(Pattern.compile("(?m)^(\\s*(?:- )?resourceVersion: )\"\\d+\""), "$1\"<resourceVersion>\""),
            // each cluster's own certificates (kube-root-ca.crt's ca.crt) in text, PEM with real or escaped line breaks
            new Rule(
                    Pattern.compile("-----BEGIN CERTIFICATE-----[\\s\\S]*?-----END CERTIFICATE-----"), "<certificate>"),
            new Rule(Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z"), "<time>"));

    private Normalizer() {}

    public static String text(String value) {
        if (value == null) {
            return null;
        }
        var out = value;
        for (var rule : TEXT_RULES) {
            out = rule.pattern().matcher(out).replaceAll(rule.replacement());
        }
        return out;
    }

    /** A normalised deep copy. */
    public static JsonNode json(JsonNode node) {
        if (node == null) {
            return null;
        }
        var copy = node.deepCopy();
        walk(copy, null);
        return copy;
    }

    private static void sort(ArrayNode array, java.util.function.Function<JsonNode, String> key) {
        var items = new ArrayList<JsonNode>();
        array.forEach(items::add);
        items.sort(java.util.Comparator.comparing(key));
        array.removeAll();
        items.forEach(array::add);
    }

    private static JsonNode walk(JsonNode node, String fieldName) {
        if (node instanceof ObjectNode object) {
            var names = new ArrayList<String>();
            object.fieldNames().forEachRemaining(names::add);
            for (var name : names) {
                var child = object.get(name);
                if ("annotations".equals(fieldName)
                        && LATENCY_ANNOTATION.matcher(name).matches()) {
                    object.remove(name);
                } else if (VOLATILE_FIELDS.contains(name) && (child.isValueNode() || child.isArray())) {
                    object.set(name, TextNode.valueOf("<" + name + ">"));
                } else if ("name".equals(name) && object.has("generateName") && child.isTextual()) {
                    object.set(name, TextNode.valueOf(object.get("generateName").asText() + "<generated>"));
                } else {
                    object.set(name, walk(child, name));
                }
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, walk(array.get(i), fieldName));
            }
            if ("managedFields".equals(fieldName)) {
                // entries of one operation sort by the second they were written, then by manager: which comes first
                // depends on the clock, so both sides are put in manager order
                sort(
                        array,
                        e -> e.path("operation").asText() + "\u0000"
                                + e.path("manager").asText() + "\u0000"
                                + e.path("subresource").asText() + "\u0000"
                                + e.path("apiVersion").asText());
            } else if ("causes".equals(fieldName)
                    && array.size() > 1
                    && java.util.stream.StreamSupport.stream(array.spliterator(), false)
                            .allMatch(c -> "FieldManagerConflict"
                                    .equals(c.path("reason").asText()))) {
                // an apply conflict lists its causes in Go map order, which varies from run to run
                sort(array, JsonNode::toString);
            }
            return array;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(text(node.asText()));
        }
        return node;
    }
}
