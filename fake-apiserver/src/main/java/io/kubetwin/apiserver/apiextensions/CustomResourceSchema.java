package io.kubetwin.apiserver.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the fake does with a custom object and its version's openAPIV3Schema: prunes fields the schema
 * does not know (apiextensions-apiserver pkg/apiserver/schema/pruning, honouring
 * x-kubernetes-preserve-unknown-fields and additionalProperties) and checks {@code type}, {@code required}
 * and {@code enum} with kube-openapi's messages. Other keywords (formats, bounds, patterns, CEL rules,
 * defaults) are not enforced. Stateless.
 */
final class CustomResourceSchema {
    private static final List<String> ROOT_KEPT = List.of("apiVersion", "kind", "metadata");

    private CustomResourceSchema() {}

    /**
     * Drops unknown fields in place; {@code schema} may be null (nothing is pruned). Answers the dropped paths
     * ({@code spec.bar}, {@code spec.items[0].x}) in document order, which strict decoding reports as unknown fields.
     */
    static List<String> prune(ObjectNode object, JsonNode schema) {
        List<String> pruned = new ArrayList<>();
        if (schema != null) {
            pruneNode(object, schema, true, "", pruned);
        }
        return pruned;
    }

    private static void pruneNode(JsonNode value, JsonNode schema, boolean root, String path, List<String> pruned) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        if (value instanceof ObjectNode o) {
            boolean preserve =
                    schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            boolean embedded = schema.path("x-kubernetes-embedded-resource").asBoolean(false);
            JsonNode props = schema.path("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                String at = path.isEmpty() ? key : path + "." + key;
                if ((root || embedded) && ROOT_KEPT.contains(key)) {
                    continue;
                }
                if (props.has(key)) {
                    pruneNode(e.getValue(), props.get(key), false, at, pruned);
                } else if (additional != null && additional.isObject()) {
                    pruneNode(e.getValue(), additional, false, at, pruned);
                } else if (!preserve && !(additional != null && additional.asBoolean(false))) {
                    pruned.add(at);
                    it.remove();
                }
            }
        } else if (value != null && value.isArray() && schema.path("items").isObject()) {
            int i = 0;
            for (JsonNode item : value) {
                pruneNode(item, schema.get("items"), false, path + "[" + i++ + "]", pruned);
            }
        }
    }

    /** Type, required and enum errors, sorted by field as the reference lists them. */
    static List<FieldError> validate(ObjectNode object, JsonNode schema) {
        List<FieldError> errs = new ArrayList<>();
        if (schema == null) {
            return errs;
        }
        JsonNode props = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!ROOT_KEPT.contains(e.getKey()) && props.has(e.getKey())) {
                check(e.getValue(), props.get(e.getKey()), e.getKey(), errs);
            }
        }
        required(object, schema, "", errs);
        errs.sort(Comparator.comparing(FieldError::field));
        return errs;
    }

    private static void check(JsonNode value, JsonNode schema, String path, List<FieldError> errs) {
        String type = CrdObject.text(schema, "type");
        String actual = typeOf(value);
        if (value.isNull() && schema.path("nullable").asBoolean(false)) {
            return;
        }
        if (!type.isEmpty()
                && !matches(type, value)
                && !schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            errs.add(new FieldError(
                    FieldError.Type.TYPE_INVALID,
                    path,
                    actual,
                    path + " in body must be of type " + type + ": " + GoText.quote(actual)));
            return;
        }
        if (schema.path("enum").isArray() && schema.get("enum").size() > 0) {
            boolean found = false;
            List<String> allowed = new ArrayList<>();
            for (JsonNode option : schema.get("enum")) {
                found |= option.equals(value);
                allowed.add(option.isTextual() ? option.asText() : option.toString());
            }
            if (!found) {
                errs.add(FieldError.notSupported(path, value.isTextual() ? value.asText() : value, allowed));
            }
        }
        if (value.isObject()) {
            JsonNode props = schema.path("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode sub = props.has(e.getKey())
                        ? props.get(e.getKey())
                        : additional != null && additional.isObject() ? additional : null;
                if (sub != null) {
                    check(e.getValue(), sub, path + "." + e.getKey(), errs);
                }
            }
            required((ObjectNode) value, schema, path + ".", errs);
        } else if (value.isArray() && schema.path("items").isObject()) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.get("items"), path + "[" + i + "]", errs);
            }
        }
    }

    private static void required(ObjectNode value, JsonNode schema, String prefix, List<FieldError> errs) {
        for (JsonNode r : schema.path("required")) {
            if (!value.has(r.asText())) {
                errs.add(FieldError.required(prefix + r.asText(), ""));
            }
        }
    }

    private static boolean matches(String type, JsonNode value) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "integer" ->
                value.isIntegralNumber()
                        || (value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble()));
            case "number" -> value.isNumber();
            default -> true;
        };
    }

    /** The JSON type name go-openapi reports for a value. */
    static String typeOf(JsonNode value) {
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
            return "boolean";
        }
        if (value.isNull()) {
            return "null";
        }
        return value.isIntegralNumber() || value.asDouble() == Math.rint(value.asDouble()) ? "integer" : "number";
    }
}
