package io.kubetwin.apiserver.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Key orders of the JSON kube-apiserver writes: Go struct order for typed objects, sorted keys for maps and unstructured objects. */
final class JsonOrder {
    static final List<String> SPEC =
            List.of("group", "names", "scope", "versions", "conversion", "preserveUnknownFields");
    static final List<String> NAMES = List.of("plural", "singular", "shortNames", "kind", "listKind", "categories");
    static final List<String> VERSION = List.of(
            "name",
            "served",
            "storage",
            "deprecated",
            "deprecationWarning",
            "schema",
            "subresources",
            "additionalPrinterColumns",
            "selectableFields");
    static final List<String> SUBRESOURCES = List.of("status", "scale");
    static final List<String> SCALE = List.of("specReplicasPath", "statusReplicasPath", "labelSelectorPath");
    static final List<String> COLUMN = List.of("name", "type", "format", "description", "priority", "jsonPath");
    static final List<String> CONVERSION = List.of("strategy", "webhook");
    static final List<String> STATUS = List.of("conditions", "acceptedNames", "storedVersions");
    static final List<String> CONDITION = List.of("type", "status", "lastTransitionTime", "reason", "message");
    /** JSONSchemaProps' field order; map-valued keywords (properties, ...) are Go maps and sort. */
    static final List<String> SCHEMA = List.of(
            "id",
            "$schema",
            "$ref",
            "description",
            "type",
            "format",
            "title",
            "default",
            "maximum",
            "exclusiveMaximum",
            "minimum",
            "exclusiveMinimum",
            "maxLength",
            "minLength",
            "pattern",
            "maxItems",
            "minItems",
            "uniqueItems",
            "multipleOf",
            "enum",
            "maxProperties",
            "minProperties",
            "required",
            "items",
            "allOf",
            "oneOf",
            "anyOf",
            "not",
            "properties",
            "additionalProperties",
            "patternProperties",
            "dependencies",
            "additionalItems",
            "definitions",
            "externalDocs",
            "example",
            "nullable",
            "x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-embedded-resource",
            "x-kubernetes-int-or-string",
            "x-kubernetes-list-map-keys",
            "x-kubernetes-list-type",
            "x-kubernetes-map-type",
            "x-kubernetes-validations");

    private static final List<String> SCHEMA_MAPS =
            List.of("properties", "patternProperties", "definitions", "dependencies");
    private static final List<String> SCHEMA_LISTS = List.of("allOf", "oneOf", "anyOf");

    private JsonOrder() {}

    /** Puts the listed keys first, in order; the rest keep their order after them. */
    static void reorder(JsonNode node, List<String> order) {
        if (!(node instanceof ObjectNode o)) {
            return;
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        o.removeAll();
        for (String k : order) {
            if (fields.containsKey(k)) {
                o.set(k, fields.remove(k));
            }
        }
        fields.forEach(o::set);
    }

    /** Sorts keys at every level, as encoding/json writes a map[string]interface{}. */
    static void sortRecursively(JsonNode node) {
        if (node instanceof ObjectNode o) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            o.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
            o.removeAll();
            sorted.forEach((k, v) -> {
                sortRecursively(v);
                o.set(k, v);
            });
        } else if (node != null && node.isArray()) {
            node.forEach(JsonOrder::sortRecursively);
        }
    }

    /** A CRD in kube-apiserver's field order. */
    static void crd(ObjectNode crd) {
        JsonNode spec = crd.get("spec");
        reorder(spec, SPEC);
        if (spec != null) {
            reorder(spec.get("names"), NAMES);
            reorder(spec.get("conversion"), CONVERSION);
            for (JsonNode v : spec.path("versions")) {
                reorder(v, VERSION);
                if (v.path("schema").isObject()) {
                    schema(v.get("schema").get("openAPIV3Schema"));
                }
                reorder(v.get("subresources"), SUBRESOURCES);
                if (v.path("subresources").isObject()) {
                    reorder(v.get("subresources").get("scale"), SCALE);
                }
                v.path("additionalPrinterColumns").forEach(c -> reorder(c, COLUMN));
            }
        }
        JsonNode status = crd.get("status");
        reorder(status, STATUS);
        if (status != null) {
            reorder(status.get("acceptedNames"), NAMES);
            status.path("conditions").forEach(c -> reorder(c, CONDITION));
        }
    }

    static void schema(JsonNode schema) {
        if (!(schema instanceof ObjectNode s)) {
            return;
        }
        reorder(s, SCHEMA);
        for (String map : SCHEMA_MAPS) {
            if (s.get(map) instanceof ObjectNode m) {
                TreeMap<String, JsonNode> sorted = new TreeMap<>();
                m.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
                m.removeAll();
                sorted.forEach((k, v) -> {
                    schema(v);
                    m.set(k, v);
                });
            }
        }
        schema(s.get("items"));
        schema(s.get("not"));
        if (s.get("additionalProperties") instanceof ObjectNode) {
            schema(s.get("additionalProperties"));
        }
        for (String list : SCHEMA_LISTS) {
            List<JsonNode> items = new ArrayList<>();
            s.path(list).forEach(items::add);
            items.forEach(JsonOrder::schema);
        }
        for (Iterator<JsonNode> it = s.path("x-kubernetes-validations").elements(); it.hasNext(); ) {
            reorder(
                    it.next(),
                    List.of("rule", "message", "messageExpression", "reason", "fieldPath", "optionalOldSelf"));
        }
    }
}
