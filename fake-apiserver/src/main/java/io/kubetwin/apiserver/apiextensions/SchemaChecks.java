package io.kubetwin.apiserver.apiextensions;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.registry.validation.FieldError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of a CRD's openAPIV3Schema the fake performs: the structural-schema invariants of
 * apiextensions-apiserver pkg/apiserver/schema/validation.go (types present, arrays with items, an object
 * at the root, metadata limited to name and generateName) and the valid property types of
 * pkg/apis/apiextensions/validation. CEL rules, defaults, formats and the value validations of nested
 * allOf/anyOf/oneOf are not checked. Stateless.
 */
final class SchemaChecks {
    static final List<String> TYPES = List.of("array", "boolean", "integer", "number", "object", "string");

    private enum Level {
        ROOT,
        ITEM,
        FIELD
    }

    private SchemaChecks() {}

    /** Errors for the schema at {@code path} (".../openAPIV3Schema"), with statusEnabled as for the validation's root checks. */
    static List<FieldError> validate(JsonNode schema, String path, boolean statusEnabled) {
        List<FieldError> errs = new ArrayList<>();
        String type = CrdObject.text(schema, "type");
        if (statusEnabled && !type.isEmpty() && !"object".equals(type)) {
            errs.add(
                    FieldError.invalid(
                            path + ".type",
                            type,
                            "only \"object\" is allowed as the type at the root of the schema if the status subresource is enabled"));
        }
        if (schema.path("nullable").asBoolean(false)) {
            errs.add(FieldError.forbidden(path + ".nullable", "nullable cannot be true at the root"));
        }
        List<FieldError> structural = new ArrayList<>();
        invariants(schema, Level.ROOT, path, structural);
        structural.sort(Comparator.comparing(FieldError::toString));
        errs.addAll(structural);
        types(schema, path, errs);
        return errs;
    }

    private static void invariants(JsonNode s, Level level, String path, List<FieldError> errs) {
        if (s == null || !s.isObject()) {
            return;
        }
        String type = CrdObject.text(s, "type");
        if ("array".equals(type) && !s.has("items")) {
            errs.add(FieldError.required(path + ".items", "must be specified"));
        }
        if (s.path("items").isObject()) {
            invariants(s.get("items"), Level.ITEM, path + ".items", errs);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            invariants(p.getValue(), Level.FIELD, path + ".properties[" + p.getKey() + "]", errs);
        }
        if (s.has("additionalProperties") && !s.get("additionalProperties").isBoolean()) {
            if (level == Level.ROOT) {
                errs.add(FieldError.forbidden(path + ".additionalProperties", "must not be used at the root"));
            }
            invariants(s.get("additionalProperties"), Level.FIELD, path + ".additionalProperties", errs);
        }
        boolean intOrString = s.path("x-kubernetes-int-or-string").asBoolean(false);
        boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        boolean embedded = s.path("x-kubernetes-embedded-resource").asBoolean(false);
        if (embedded && !"object".equals(type)) {
            errs.add(
                    type.isEmpty()
                            ? FieldError.required(
                                    path + ".type", "must be object if x-kubernetes-embedded-resource is true")
                            : FieldError.invalid(
                                    path + ".type", type, "must be object if x-kubernetes-embedded-resource is true"));
        } else if (type.isEmpty() && !intOrString && !preserve) {
            errs.add(FieldError.required(
                    path + ".type",
                    switch (level) {
                        case ROOT -> "must not be empty at the root";
                        case ITEM -> "must not be empty for specified array items";
                        case FIELD -> "must not be empty for specified object fields";
                    }));
        }
        if (level == Level.ROOT && !type.isEmpty() && !"object".equals(type)) {
            errs.add(FieldError.invalid(path + ".type", type, "must be object at the root"));
        }
        boolean checkMetadata = level == Level.ROOT || embedded;
        JsonNode props = s.path("properties");
        for (String f : List.of("kind", "apiVersion")) {
            if (checkMetadata && props.has(f) && !"string".equals(CrdObject.text(props.get(f), "type"))) {
                errs.add(FieldError.invalid(
                        path + ".properties[" + f + "].type", CrdObject.text(props.get(f), "type"), "must be string"));
            }
        }
        if (props.has("metadata")) {
            JsonNode m = props.get("metadata");
            String mPath = path + ".properties[metadata]";
            if (checkMetadata && !"object".equals(CrdObject.text(m, "type"))) {
                errs.add(FieldError.invalid(mPath + ".type", CrdObject.text(m, "type"), "must be object"));
            }
            if (level == Level.ROOT && !onlyNameFields(m)) {
                errs.add(
                        FieldError.forbidden(
                                mPath,
                                "must not specify anything other than name and generateName, but metadata is implicitly specified"));
            }
        }
    }

    private static boolean onlyNameFields(JsonNode metadata) {
        for (Iterator<String> it = metadata.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("type", "properties").contains(f)) {
                return false;
            }
        }
        for (Iterator<String> it = metadata.path("properties").fieldNames(); it.hasNext(); ) {
            if (!Set.of("name", "generateName").contains(it.next())) {
                return false;
            }
        }
        return true;
    }

    private static void types(JsonNode s, String path, List<FieldError> errs) {
        if (s == null || !s.isObject()) {
            return;
        }
        String type = CrdObject.text(s, "type");
        if (!type.isEmpty() && !TYPES.contains(type)) {
            errs.add(FieldError.notSupported(path + ".type", type, TYPES));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            types(p.getValue(), path + ".properties[" + p.getKey() + "]", errs);
        }
        if (s.path("items").isObject()) {
            types(s.get("items"), path + ".items", errs);
        }
        if (s.path("additionalProperties").isObject()) {
            types(s.get("additionalProperties"), path + ".additionalProperties", errs);
        }
    }
}
