package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.api.GoStrconv;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The value patch.go prints in its 422 {@code patch: Invalid value: "<value>": <error>} when a patched object does
 * not decode: for JSON and merge patches the patched JSON as evanphx/json-patch writes it (the top level and every
 * object the patch reached re-marshalled from Go maps, so with sorted keys; the rest as the codec encoded it), for
 * strategic merge patches the patch map printed with {@code %+v} ({@code map[spec:map[replicas:3]]}). Pure.
 */
public final class PatchedValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PatchedValues() {}

    /**
     * The patched object as JSON: objects sorted where {@code touched} (a tree of the patched paths, as
     * {@link #touchedByPointers} or the merge patch itself makes) has an object.
     */
    public static String patchedJson(JsonNode patched, JsonNode touched) {
        try {
            return GoJson.mapper().writeValueAsString(sorted(patched, touched == null ? NODES.objectNode() : touched));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode sorted(JsonNode value, JsonNode touched) {
        if (!value.isObject() || touched == null || !touched.isObject()) {
            return value;
        }
        Map<String, JsonNode> keys = new TreeMap<>();
        value.fields().forEachRemaining(e -> keys.put(e.getKey(), sorted(e.getValue(), touched.get(e.getKey()))));
        ObjectNode out = NODES.objectNode();
        keys.forEach(out::set);
        return out;
    }

    /** The containers a JSON patch's operations walk to ({@code /data/b} reaches {@code data}), as a tree. */
    public static JsonNode touchedByPointers(JsonNode operations) {
        ObjectNode root = NODES.objectNode();
        for (JsonNode op : operations) {
            List<String> paths = new ArrayList<>();
            paths.add(op.path("path").asText(""));
            if (op.has("from")) {
                paths.add(op.path("from").asText(""));
            }
            for (String path : paths) {
                String[] parts = path.split("/", -1);
                ObjectNode at = root;
                for (int i = 1; i < parts.length - 1; i++) {
                    String key = parts[i].replace("~1", "/").replace("~0", "~");
                    at = at.get(key) instanceof ObjectNode o ? o : at.putObject(key);
                }
            }
        }
        return root;
    }

    /** Go's {@code fmt.Sprintf("%+v", m)} of a decoded JSON value (maps sorted, ints kept, floats as %g). */
    public static String goValue(JsonNode v) {
        StringBuilder out = new StringBuilder();
        append(out, v);
        return out.toString();
    }

    private static void append(StringBuilder out, JsonNode v) {
        if (v == null || v.isNull()) {
            out.append("<nil>");
        } else if (v.isObject()) {
            Map<String, JsonNode> keys = new TreeMap<>();
            v.fields().forEachRemaining(e -> keys.put(e.getKey(), e.getValue()));
            out.append("map[");
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : keys.entrySet()) {
                out.append(first ? "" : " ").append(e.getKey()).append(':');
                append(out, e.getValue());
                first = false;
            }
            out.append(']');
        } else if (v.isArray()) {
            out.append('[');
            for (int i = 0; i < v.size(); i++) {
                out.append(i == 0 ? "" : " ");
                append(out, v.get(i));
            }
            out.append(']');
        } else if (v.isTextual()) {
            out.append(v.asText());
        } else if (v.isIntegralNumber()) {
            out.append(v.bigIntegerValue());
        } else if (v.isNumber()) {
            out.append(goFloat(v.decimalValue()));
        } else {
            out.append(v.asText());
        }
    }

    /** %v of a float64 (strconv.FormatFloat 'g', -1). */
    static String goFloat(BigDecimal d) {
        return GoStrconv.formatFloatG(d.doubleValue());
    }
}
