package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The string-map fields of the objects the security logic reads (every object's labels and annotations, ConfigMap
 * and Secret data) checked as Go's encoding/json decodes them into the typed struct: a value that is not a string
 * is {@code json: cannot unmarshal number into Go struct field ConfigMap.data of type string}, a field that is not
 * an object {@code ... of type map[string]string}, the first in document order (decode.go saveError); a null value
 * of a {@code map[string]string} is the empty string. A custom resource's metadata is decoded on its own
 * ({@code ObjectMeta.labels}); ObjectMeta's scalar fields are checked too ({@code ObjectMeta.metadata.generation of
 * type int64}). Used only for kinds without a recorded Go type ({@link TypedDecoder} decodes the others whole).
 * Pure and thread-safe.
 */
public final class GoStringMaps {
    /** A map field: the Go struct it belongs to, its JSON path from the top, and its element type. */
    private record Field(String struct, String path, String elementType) {}

    private static final List<Field> METADATA = List.of(
            new Field("ObjectMeta", "metadata.labels", "string"),
            new Field("ObjectMeta", "metadata.annotations", "string"));

    /** ObjectMeta's scalar fields and their Go types (a string given a number, an int64 given a fraction). */
    private static final Map<String, String> METADATA_SCALARS = Map.of(
            "name", "string",
            "generateName", "string",
            "namespace", "string",
            "uid", "types.UID",
            "resourceVersion", "string",
            "generation", "int64");

    private static final Map<String, List<Field>> CORE = Map.of(
            "ConfigMap",
                    List.of(new Field("ConfigMap", "data", "string"), new Field("ConfigMap", "binaryData", "[]uint8")),
            "Secret", List.of(new Field("Secret", "data", "[]uint8"), new Field("Secret", "stringData", "string")));

    private GoStringMaps() {}

    /**
     * The first type error's text ({@code json: cannot unmarshal ...}), or null; replaces null values of string maps
     * by "" as the decoder does.
     */
    public static String firstTypeError(ObjectNode object, String group, String kind, boolean unstructured) {
        List<Field> own = group.isEmpty() ? CORE.getOrDefault(kind, List.of()) : List.of();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String error = null;
            if (e.getKey().equals("metadata")
                    && !unstructured
                    && !(e.getValue() instanceof ObjectNode)
                    && !e.getValue().isNull()) {
                error = mismatch(e.getValue(), new Field(kind, "metadata", ""), "v1.ObjectMeta");
            }
            if (e.getKey().equals("metadata") && e.getValue() instanceof ObjectNode meta) {
                for (Iterator<Map.Entry<String, JsonNode>> m = meta.fields(); m.hasNext() && error == null; ) {
                    Map.Entry<String, JsonNode> me = m.next();
                    String scalar = METADATA_SCALARS.get(me.getKey());
                    if (scalar != null) {
                        String path = unstructured ? me.getKey() : "metadata." + me.getKey();
                        error = checkScalar(new Field("ObjectMeta", path, scalar), me.getValue());
                    }
                    for (Field f : METADATA) {
                        if (f.path().equals("metadata." + me.getKey())) {
                            // a custom resource's metadata is decoded on its own: the path starts at ObjectMeta
                            error = check(
                                    unstructured ? new Field(f.struct(), me.getKey(), f.elementType()) : f,
                                    me.getValue());
                        }
                    }
                }
            }
            for (Field f : own) {
                if (error == null && f.path().equals(e.getKey())) {
                    error = check(f, e.getValue());
                }
            }
            if (error != null) {
                return error;
            }
        }
        return null;
    }

    private static String check(Field field, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (!(value instanceof ObjectNode map)) {
            return mismatch(value, field, "map[string]" + field.elementType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                if (field.elementType().equals("string")) {
                    e.setValue(map.textNode(""));
                }
            } else if (!v.isTextual()) {
                return mismatch(v, field, field.elementType());
            }
        }
        return null;
    }

    private static String checkScalar(Field field, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (field.elementType().equals("int64")) {
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                return null;
            }
            if (value.isNumber() && Double.isFinite(value.doubleValue())) {
                // a number Go cannot store in an int64 is named with its literal
                return "json: cannot unmarshal number " + value.asText() + " into Go struct field " + field.struct()
                        + "." + field.path() + " of type int64";
            }
            return value.isNumber() ? null : mismatch(value, field, "int64");
        }
        return value.isTextual() ? null : mismatch(value, field, field.elementType());
    }

    private static String mismatch(JsonNode value, Field field, String goType) {
        return "json: cannot unmarshal " + jsonType(value) + " into Go struct field " + field.struct() + "."
                + field.path() + " of type " + goType;
    }

    /** encoding/json's names of JSON values in UnmarshalTypeError. */
    static String jsonType(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isBoolean()) {
            return "bool";
        }
        return "number";
    }
}
