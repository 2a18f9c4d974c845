package io.kubetwin.apiserver.registry.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The structured-merge-diff view of an OpenAPI schema (schema/elements.go, as kube-openapi's schemaconv builds it):
 * scalars, maps (structs with named fields and/or maps with an element type; granular or atomic) and lists (atomic,
 * sets, or associative lists with key fields). Built lazily from the schema JSON and cached, so recursive schemas
 * (JSONSchemaProps) and large documents cost only what a request walks. Thread-safe.
 */
abstract sealed class SchemaType
        permits SchemaType.Scalar, SchemaType.MapType, SchemaType.ListType, SchemaType.Deduced {

    MapType asMap() {
        return null;
    }

    ListType asList() {
        return null;
    }

    /** The concrete type to walk {@code value} with (schema.Atom narrowed by the value's shape, deduceAtom). */
    SchemaType forValue(JsonNode value) {
        return this;
    }

    static final Scalar SCALAR = new Scalar();
    static final Deduced DEDUCED = new Deduced();

    static final class Scalar extends SchemaType {}

    /** No schema: the value's own shape decides; maps are granular, lists atomic (schema.Deduced). */
    static final class Deduced extends SchemaType {
        private static final MapType MAP = new MapType(null, null, false, n -> DEDUCED, null);
        private static final ListType LIST = new ListType(DEDUCED, ListType.Kind.ATOMIC, List.of());

        @Override
        SchemaType forValue(JsonNode value) {
            if (value != null && value.isObject()) {
                return MAP;
            }
            if (value != null && value.isArray()) {
                return LIST;
            }
            return SCALAR;
        }
    }

    /**
     * A struct (named fields) and/or a map (an element type for other keys).
     *
     * @param properties the schema's properties, null for none
     * @param element the element type of keys that are no named field, null when a struct allows none
     */
    static final class MapType extends SchemaType {
        private final JsonNode properties;
        private final SchemaType element;
        private final boolean atomic;
        private final Function<JsonNode, SchemaType> resolver;
        private final Map<String, SchemaType> fields = new ConcurrentHashMap<>();
        private final JsonNode schema;

        MapType(
                JsonNode properties,
                SchemaType element,
                boolean atomic,
                Function<JsonNode, SchemaType> resolver,
                JsonNode schema) {
            this.properties = properties;
            this.element = element;
            this.atomic = atomic;
            this.resolver = resolver;
            this.schema = schema;
        }

        @Override
        MapType asMap() {
            return this;
        }

        boolean atomic() {
            return atomic;
        }

        /** Whether keys other than the named fields are allowed (a map, or a struct preserving unknown fields). */
        boolean allowsOtherKeys() {
            return element != null;
        }

        boolean hasField(String name) {
            return properties != null && properties.has(name);
        }

        /** The named field's type, else the element type, else deduced (an undeclared field). */
        SchemaType fieldType(String name) {
            if (hasField(name)) {
                return fields.computeIfAbsent(name, n -> resolver.apply(properties.get(n)));
            }
            return element != null ? element : DEDUCED;
        }

        /** The default of a named field (associative-list key defaults), or null. */
        JsonNode fieldDefault(String name) {
            if (!hasField(name)) {
                return null;
            }
            JsonNode d = properties.get(name).get("default");
            return d == null || d.isNull() ? null : d;
        }

        @Override
        SchemaType forValue(JsonNode value) {
            return value != null && !value.isObject() && !value.isNull() ? SCALAR : this;
        }

        JsonNode schema() {
            return schema;
        }

        /**
         * The zero value of the Go struct behind this schema, as the unstructured converter renders it: fields
         * without omitempty (the schema's required ones) with their zero values, nested structs likewise.
         */
        com.fasterxml.jackson.databind.node.ObjectNode zero() {
            com.fasterxml.jackson.databind.node.ObjectNode out =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            if (schema == null) {
                return out;
            }
            for (JsonNode r : schema.path("required")) {
                String name = r.asText();
                JsonNode prop = properties == null ? null : properties.get(name);
                if (prop == null) {
                    continue;
                }
                out.set(name, zeroOf(prop, fieldType(name)));
            }
            return out;
        }
    }

    /** Zero of a required field: "", 0, false, null for slices, maps and pointers, a zero struct for structs. */
    static JsonNode zeroOf(JsonNode prop, SchemaType type) {
        var nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        String t = prop.path("type").asText("");
        if (prop.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return nodes.numberNode(0);
        }
        switch (t) {
            case "string":
                return prop.path("format").asText("").equals("date-time") ? nodes.nullNode() : nodes.textNode("");
            case "integer":
            case "number":
                return nodes.numberNode(0);
            case "boolean":
                return nodes.booleanNode(false);
            case "array":
                return nodes.nullNode();
            default:
                MapType m = type.asMap();
                if (m != null && m.properties != null && m.element == null) {
                    return m.zero();
                }
                return nodes.nullNode();
        }
    }

    static final class ListType extends SchemaType {
        enum Kind {
            ATOMIC,
            SET,
            MAP
        }

        private final SchemaType element;
        private final Kind kind;
        private final List<String> keys;

        ListType(SchemaType element, Kind kind, List<String> keys) {
            this.element = element;
            this.kind = kind;
            this.keys = List.copyOf(keys);
        }

        @Override
        ListType asList() {
            return this;
        }

        SchemaType element() {
            return element;
        }

        boolean atomic() {
            return kind == Kind.ATOMIC;
        }

        Kind kind() {
            return kind;
        }

        List<String> keys() {
            return keys;
        }

        @Override
        SchemaType forValue(JsonNode value) {
            return value != null && !value.isArray() && !value.isNull() ? SCALAR : this;
        }
    }

    /**
     * Converts one OpenAPI (v3 or CRD structural) schema; {@code refs} resolves a {@code $ref} to its named type.
     * Mirrors schemaconv: list types from x-kubernetes-list-type, else from the patch strategy (merge with a merge
     * key is a map list, merge alone a set), else atomic; map types from x-kubernetes-map-type.
     */
    static SchemaType of(JsonNode s, Function<String, SchemaType> refs) {
        if (s == null || s.isNull() || s.isMissingNode()) {
            return DEDUCED;
        }
        String ref = OpenApiSchemas.ref(s);
        if (ref != null) {
            return refs.apply(ref);
        }
        if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return SCALAR;
        }
        String type = s.path("type").asText("");
        boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (type.equals("array") || s.has("items")) {
            SchemaType element = of(s.get("items"), refs);
            String listType = s.path("x-kubernetes-list-type").asText("");
            List<String> keys = new ArrayList<>();
            s.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
            ListType.Kind kind;
            if (listType.equals("map")) {
                kind = ListType.Kind.MAP;
            } else if (listType.equals("set")) {
                kind = ListType.Kind.SET;
            } else if (listType.equals("atomic")) {
                kind = ListType.Kind.ATOMIC;
            } else if (s.path("x-kubernetes-patch-strategy").asText("").startsWith("merge")) {
                String key = s.path("x-kubernetes-patch-merge-key").asText("");
                kind = key.isEmpty() ? ListType.Kind.SET : ListType.Kind.MAP;
                if (!key.isEmpty()) {
                    keys.clear();
                    keys.add(key);
                }
            } else {
                kind = ListType.Kind.ATOMIC;
            }
            return new ListType(element, kind, keys);
        }
        if (type.equals("object") || s.has("properties") || s.has("additionalProperties")) {
            boolean atomic = s.path("x-kubernetes-map-type").asText("").equals("atomic");
            JsonNode props = s.get("properties");
            JsonNode additional = s.get("additionalProperties");
            SchemaType element;
            if (additional != null && additional.isObject()) {
                element = of(additional, refs);
            } else if (preserve || props == null || (additional != null && additional.asBoolean(false))) {
                element = DEDUCED;
            } else {
                element = null;
            }
            return new MapType(props, element, atomic, p -> of(p, refs), s);
        }
        if (preserve) {
            return DEDUCED;
        }
        return SCALAR;
    }
}
