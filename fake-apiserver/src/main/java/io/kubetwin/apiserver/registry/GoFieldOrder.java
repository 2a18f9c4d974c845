package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts the fields of a built-in object in the order kube-apiserver writes them: Go's encoding/json writes
 * struct fields in declaration order and map keys sorted. The orders are data ({@code field-order.json},
 * recorded by {@code ci/reference/record-field-order.py} from the pinned Go types and the reference's OpenAPI
 * v2 type graph), loaded once on first use. Objects of kinds not in the data are left as they are.
 */
public final class GoFieldOrder {
    private GoFieldOrder() {}

    private static final class Data {
        static final JsonNode ORDER = load();

        private static JsonNode load() {
            try (InputStream in = GoFieldOrder.class.getResourceAsStream("field-order.json")) {
                return new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Orders {@code object} in place, by its apiVersion and kind; returns whether the kind is known. */
    public static boolean apply(ObjectNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String gvk = (apiVersion.contains("/") ? apiVersion : "/" + apiVersion) + "/"
                + object.path("kind").asText("");
        JsonNode definition = Data.ORDER.path("kinds").get(gvk);
        if (definition == null) {
            return false;
        }
        order(object, definition.asText());
        return true;
    }

    /**
     * Orders {@code object} in place as the Go type {@code definition} (an OpenAPI definition name such as
     * {@code io.k8s.api.core.v1.ContainerStatus}) and the types it holds; unknown definitions leave it as it is.
     */
    public static void applyType(ObjectNode object, String definition) {
        order(object, definition);
    }

    private static void order(ObjectNode object, String definition) {
        JsonNode fields = Data.ORDER.path("types").get(definition);
        if (fields == null) {
            return;
        }
        List<Map.Entry<String, JsonNode>> rest = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            rest.add(Map.entry(it.next().getKey(), NULL));
        }
        ObjectNode ordered = object.objectNode();
        for (JsonNode field : fields) {
            String name = field.get(0).asText();
            JsonNode value = object.get(name);
            if (value == null) {
                continue;
            }
            String type = field.get(1).isNull() ? null : field.get(1).asText();
            String shape = field.get(2).asText();
            ordered.set(name, shaped(value, type, shape));
        }
        for (Map.Entry<String, JsonNode> e : rest) {
            if (!ordered.has(e.getKey())) {
                ordered.set(e.getKey(), object.get(e.getKey()));
            }
        }
        object.removeAll();
        object.setAll(ordered);
    }

    private static JsonNode shaped(JsonNode value, String type, String shape) {
        switch (shape) {
            case "list" -> {
                if (type != null) {
                    value.forEach(item -> {
                        if (item instanceof ObjectNode o) {
                            order(o, type);
                        }
                    });
                }
            }
            case "map" -> {
                if (value instanceof ObjectNode map) {
                    TreeMap<String, JsonNode> sorted = new TreeMap<>();
                    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
                    map.removeAll();
                    sorted.forEach((k, v) -> {
                        if (type != null && v instanceof ObjectNode o) {
                            order(o, type);
                        }
                        map.set(k, v);
                    });
                }
            }
            default -> {
                if (type != null && value instanceof ObjectNode o) {
                    order(o, type);
                }
            }
        }
        return value;
    }

    private static final JsonNode NULL = NullNode.instance;
}
