package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The first read of a JSON body, before any typed decoding: SimpleMetaFactory.Interpret
 * (k8s.io/apimachinery/pkg/runtime/serializer/json/meta.go) unmarshals it into {@code struct{APIVersion string;
 * Kind string}}, so an apiVersion or kind that is not a string (nor null) is encoding/json's type error, the first
 * in document order; encoding/json matches the two keys case-insensitively. Pure.
 */
final class TypeMetaFields {
    private static final JsonFactory JSON = new JsonFactory();

    private TypeMetaFields() {}

    /** The error of a decoded object's top-level fields, or null. */
    static String error(JsonNode object) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = field(e.getKey());
            JsonNode v = e.getValue();
            if (field != null && !v.isTextual() && !v.isNull()) {
                return message(
                        v.isObject() ? "object" : v.isArray() ? "array" : v.isBoolean() ? "bool" : "number", field);
            }
        }
        return null;
    }

    /** The same for a JSON document known to be syntactically valid, read as a stream (children skipped). */
    static String error(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = field(p.currentName());
                JsonToken value = p.nextToken();
                if (field != null && value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                    return message(TypedDecoder.jsonKind(value), field);
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null; // the syntax check has the say on malformed documents
        }
    }

    private static String field(String key) {
        return key.equalsIgnoreCase("apiVersion") ? "apiVersion" : key.equalsIgnoreCase("kind") ? "kind" : null;
    }

    private static String message(String jsonKind, String field) {
        return "couldn't get version/kind; json parse error: json: cannot unmarshal " + jsonKind
                + " into Go struct field ." + field + " of type string";
    }
}
