package io.kubetwin.apiserver.registry.virtual;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.codec.TypedDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes a JSON (or YAML) document into a Go value of a {@link GoType.Struct} as kube-apiserver's JSON
 * serializer does (sigs.k8s.io/json, a fork of encoding/json): keys match case-sensitively, null leaves
 * scalars and structs unchanged and sets pointers, slices and maps to nil, the last duplicate wins, the first
 * type mismatch is reported as {@code json: cannot unmarshal <what> into Go struct field <Struct>.<path> of
 * type <T>}, and unknown or duplicate fields are collected as the strict-decoding errors
 * ({@code unknown field "spec.x"}, {@code duplicate field "spec.token"}) in document order.
 * One instance decodes one document; not thread-safe.
 */
public final class GoJsonDecoder {
    private static final ObjectMapper TREES = new ObjectMapper();

    /**
     * The decoded value, the first type error (null when none) and the strict-decoding errors.
     *
     * @param value the Go value of the root struct
     */
    public record Result(ObjectNode value, String typeError, List<String> strictErrors) {
        public Result {
            strictErrors = List.copyOf(strictErrors);
        }
    }

    /** Where a value sits, for error messages: the enclosing struct and the dotted field path. */
    private record Context(String struct, String fieldPath, String strictPath) {}

    private String typeError;
    private final List<String> strictErrors = new ArrayList<>();

    private GoJsonDecoder() {}

    /** Decodes the document the parser is positioned before (or on); the parser is not closed. */
    public static Result decode(JsonParser parser, GoType.Struct root) {
        GoJsonDecoder decoder = new GoJsonDecoder();
        try {
            if (parser.currentToken() == null) {
                parser.nextToken();
            }
            JsonNode value = decoder.value(parser, root, GoValues.zero(root), new Context(root.simpleName(), "", ""));
            ObjectNode object = value instanceof ObjectNode o ? o : (ObjectNode) GoValues.zero(root);
            return new Result(object, decoder.typeError, decoder.strictErrors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a tree (e.g. the already-parsed body) the same way. */
    public static Result decode(JsonNode document, GoType.Struct root) {
        try (JsonParser parser = document.traverse(TREES)) {
            return decode(parser, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode value(JsonParser p, GoType type, JsonNode current, Context at) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return type instanceof GoType.Str
                            || type instanceof GoType.Int
                            || type instanceof GoType.Bool
                            || type instanceof GoType.Struct
                    ? current
                    : GoValues.NODES.nullNode();
        }
        if (type instanceof GoType.Str) {
            return token == JsonToken.VALUE_STRING
                    ? GoValues.NODES.textNode(p.getText())
                    : mismatch(p, type, current, at);
        }
        if (type instanceof GoType.Bool) {
            return token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE
                    ? GoValues.NODES.booleanNode(token == JsonToken.VALUE_TRUE)
                    : mismatch(p, type, current, at);
        }
        if (type instanceof GoType.Int i) {
            return integer(p, i, current, at);
        }
        if (type instanceof GoType.Time) {
            if (token == JsonToken.VALUE_STRING) {
                return GoValues.NODES.textNode(p.getText());
            }
            // metav1.Time.UnmarshalJSON decodes into a string first and returns that error as is
            error("json: cannot unmarshal " + TypedDecoder.jsonKind(token) + " into Go value of type string");
            p.skipChildren();
            return current;
        }
        if (type instanceof GoType.Raw) {
            return p.readValueAsTree();
        }
        if (type instanceof GoType.Ptr ptr) {
            return value(p, ptr.elem(), current == null || current.isNull() ? GoValues.zero(ptr.elem()) : current, at);
        }
        if (type instanceof GoType.Slice slice) {
            if (token != JsonToken.START_ARRAY) {
                return mismatch(p, type, current, at);
            }
            ArrayNode out = GoValues.NODES.arrayNode();
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.add(value(
                        p,
                        slice.elem(),
                        GoValues.zero(slice.elem()),
                        new Context(at.struct(), at.fieldPath(), at.strictPath() + "[" + index++ + "]")));
            }
            return out;
        }
        if (type instanceof GoType.MapOf map) {
            if (token != JsonToken.START_OBJECT) {
                return mismatch(p, type, current, at);
            }
            ObjectNode out = current instanceof ObjectNode o ? o.deepCopy() : GoValues.NODES.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                out.set(
                        key,
                        value(
                                p,
                                map.value(),
                                GoValues.zero(map.value()),
                                new Context(at.struct(), at.fieldPath(), at.strictPath() + "." + key)));
            }
            return out;
        }
        return struct(p, (GoType.Struct) type, current, at);
    }

    private JsonNode struct(JsonParser p, GoType.Struct type, JsonNode current, Context at) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return mismatch(p, type, current, at);
        }
        ObjectNode out = current instanceof ObjectNode o ? o.deepCopy() : (ObjectNode) GoValues.zero(type);
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            String fieldPath = at.fieldPath().isEmpty() ? key : at.fieldPath() + "." + key;
            String strictPath = at.strictPath().isEmpty() ? key : at.strictPath() + "." + key;
            var field = type.field(key);
            if (field.isEmpty()) {
                strictErrors.add("unknown field \"" + strictPath + "\"");
                p.skipChildren();
                continue;
            }
            if (!seen.add(key)) {
                strictErrors.add("duplicate field \"" + strictPath + "\"");
            }
            GoType fieldType = field.get().type();
            JsonNode existing = out.get(key);
            out.set(key, value(p, fieldType, existing, new Context(type.simpleName(), fieldPath, strictPath)));
        }
        return out;
    }

    private JsonNode integer(JsonParser p, GoType.Int type, JsonNode current, Context at) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            String literal = p.getText();
            try {
                long v = Long.parseLong(literal);
                if (type.bits() == 32 && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
                    throw new NumberFormatException(literal);
                }
                return GoValues.NODES.numberNode(v);
            } catch (NumberFormatException e) {
                error("json: cannot unmarshal number " + literal + " into Go struct field " + at.struct() + "."
                        + at.fieldPath() + " of type " + type.name());
                return current;
            }
        }
        return mismatch(p, type, current, at);
    }

    private JsonNode mismatch(JsonParser p, GoType type, JsonNode current, Context at) throws IOException {
        error("json: cannot unmarshal " + TypedDecoder.jsonKind(p.currentToken()) + " into Go struct field "
                + at.struct() + "." + at.fieldPath() + " of type " + type.name());
        p.skipChildren();
        return current;
    }

    private void error(String message) {
        if (typeError == null) {
            typeError = message;
        }
    }
}
