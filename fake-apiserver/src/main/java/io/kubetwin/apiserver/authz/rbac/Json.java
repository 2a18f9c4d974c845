package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lenient readers and writers for the typed RBAC views: absent or null fields read as empty. */
final class Json {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    static List<String> strings(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(value.size());
        value.forEach(v -> out.add(v.isNull() ? "" : v.asText()));
        return Collections.unmodifiableList(out);
    }

    static Map<String, String> stringMap(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        value.fields()
                .forEachRemaining(e -> out.put(
                        e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return Collections.unmodifiableMap(out);
    }

    static List<JsonNode> objects(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isArray()) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>(value.size());
        value.forEach(out::add);
        return out;
    }

    static ArrayNode array(List<String> values) {
        ArrayNode array = NODES.arrayNode(values.size());
        values.forEach(array::add);
        return array;
    }

    static void putIfNotEmpty(ObjectNode target, String field, List<String> values) {
        if (!values.isEmpty()) {
            target.set(field, array(values));
        }
    }

    static void putIfNotEmpty(ObjectNode target, String field, Map<String, String> values) {
        if (!values.isEmpty()) {
            ObjectNode map = target.putObject(field);
            values.forEach(map::put);
        }
    }

    /** metadata in kube-apiserver's field order (name, namespace, labels, annotations). */
    static ObjectNode metadata(
            String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
        ObjectNode meta = NODES.objectNode();
        meta.put("name", name);
        if (!namespace.isEmpty()) {
            meta.put("namespace", namespace);
        }
        putIfNotEmpty(meta, "labels", labels);
        putIfNotEmpty(meta, "annotations", annotations);
        return meta;
    }

    static ObjectNode typeHeader(String kind) {
        ObjectNode object = NODES.objectNode();
        object.put("kind", kind);
        object.put("apiVersion", Rbac.API_VERSION);
        return object;
    }

    static Map<String, String> copy(Map<String, String> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
