package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Quantity;
import io.kubetwin.apiserver.registry.kinds.SecretStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes a request body into the tree of a built-in kind as kube-apiserver's JSON serializer decodes it into the
 * Go struct (sigs.k8s.io/json UnmarshalCaseSensitivePreserveInts and UnmarshalStrict; runtime/serializer/json):
 * in one pass over the parser's tokens, keys matched case-sensitively, unknown fields dropped, a repeated field
 * decoded into the first (maps and structs merged, the rest replaced), and collected as they come:
 * <ul>
 *   <li>the first type error, with Go's text ({@code json: cannot unmarshal string into Go struct field
 *       DeploymentSpec.spec.replicas of type int32}; the custom decoders' own texts for quantities, times and
 *       base64), which fails the request whatever {@code fieldValidation} says;</li>
 *   <li>the strict-decoding errors in document order ({@code unknown field "spec.foo"}, {@code duplicate field
 *       "metadata.name"}), paths with list indices and map keys.</li>
 * </ul>
 * Null is kept as sent (the registry treats it as absent), except as an element of a string list or map, which
 * Go makes "". One instance decodes one document; not thread-safe.
 */
public final class TypedDecoder {
    static final String QUANTITY_ERROR =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    // Go's decoder nests 10,000 levels (GoJsonSyntax enforces it first); Jackson's default stops at 1,000
    private static final ObjectMapper TREES = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(GoJsonSyntax.MAX_DEPTH)
                    .build())
            .build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /**
     * The decoded tree, the first type error (null when none) and the strict-decoding errors.
     *
     * @param object the decoded object; null when the document is not a JSON object
     * @param yamlDuplicates a YAML body's duplicate keys (go-yaml's strict errors, found before the decoder runs)
     */
    public record Result(ObjectNode object, String typeError, List<String> strictErrors, List<String> yamlDuplicates) {
        public Result {
            strictErrors = List.copyOf(strictErrors);
            yamlDuplicates = List.copyOf(yamlDuplicates);
        }

        public Result(ObjectNode object, String typeError, List<String> strictErrors) {
            this(object, typeError, strictErrors, List.of());
        }
    }

    private String typeError;
    private final List<String> strictErrors = new ArrayList<>();

    private TypedDecoder() {}

    /** Decodes the document the parser is positioned before (or on); the parser is not closed. */
    public static Result decode(JsonParser parser, DecodeType.Struct root) {
        return decode(parser, root, "");
    }

    /**
     * Decodes a part of a document decoded on its own (a custom resource's metadata: type errors name its fields
     * from the struct, {@code ObjectMeta.labels}, strict errors from the document, {@code metadata.foo}).
     */
    public static Result decodePart(JsonNode part, DecodeType.Struct root, String strictPrefix) {
        try (JsonParser parser = part.traverse(TREES)) {
            return decode(parser, root, strictPrefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result decode(JsonParser parser, DecodeType.Struct root, String strictPrefix) {
        TypedDecoder decoder = new TypedDecoder();
        try {
            if (parser.currentToken() == null) {
                parser.nextToken();
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return new Result(null, null, List.of());
            }
            JsonNode value = decoder.value(parser, root, null, root.simpleName(), "", strictPrefix);
            return new Result((ObjectNode) value, decoder.typeError, decoder.strictErrors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes an already parsed tree (a YAML body) the same way; duplicates are gone from a tree. */
    public static Result decode(JsonNode document, DecodeType.Struct root) {
        try (JsonParser parser = document.traverse(TREES)) {
            return decode(parser, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The duplicate fields of a JSON document decoded into {@code map[string]interface{}} under strict decoding (a
     * merge or strategic merge patch: patch.go's appliedStrictErrs), paths with list indices.
     */
    public static List<String> duplicateFields(byte[] json) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = TREES.createParser(json)) {
            if (p.nextToken() != null) {
                duplicates(p, "", out);
            }
        } catch (JsonProcessingException e) {
            return List.of(); // malformed: the caller's own parse reports it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void duplicates(JsonParser p, String path, List<String> out) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT) {
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                String at = path.isEmpty() ? key : path + "." + key;
                if (!seen.add(key)) {
                    out.add("duplicate field \"" + at + "\"");
                }
                p.nextToken();
                duplicates(p, at, out);
            }
        } else if (p.currentToken() == JsonToken.START_ARRAY) {
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                duplicates(p, path + "[" + index++ + "]", out);
            }
        }
    }

    /**
     * One value of {@code type}; {@code current} is what an earlier duplicate decoded (null when none);
     * {@code struct} and {@code fieldPath} name the value in type errors, {@code strictPath} in strict ones.
     */
    private JsonNode value(
            JsonParser p, DecodeType type, JsonNode current, String struct, String fieldPath, String strictPath)
            throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return NODES.nullNode();
        }
        if (type instanceof DecodeType.Struct s) {
            return token == JsonToken.START_OBJECT
                    ? struct(p, s, current, fieldPath, strictPath)
                    : mismatch(p, type, struct, fieldPath);
        }
        if (type instanceof DecodeType.Slice slice) {
            if (token != JsonToken.START_ARRAY) {
                return mismatch(p, type, struct, fieldPath);
            }
            ArrayNode out = NODES.arrayNode();
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                out.add(element(p, slice.elem(), null, struct, fieldPath, strictPath + "[" + index++ + "]"));
            }
            return out;
        }
        if (type instanceof DecodeType.MapOf map) {
            if (token != JsonToken.START_OBJECT) {
                return mismatch(p, type, struct, fieldPath);
            }
            ObjectNode out = current instanceof ObjectNode o ? o : NODES.objectNode();
            Set<String> seen = new HashSet<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                String path = strictPath.isEmpty() ? key : strictPath + "." + key;
                if (!seen.add(key)) {
                    strictErrors.add("duplicate field \"" + path + "\"");
                }
                out.set(key, element(p, map.elem(), out.get(key), struct, fieldPath, path));
            }
            return out;
        }
        return scalar(p, (DecodeType.Scalar) type, struct, fieldPath);
    }

    /** A list or map element: a null string becomes "" (a new zero element), other nulls stay. */
    private JsonNode element(
            JsonParser p, DecodeType type, JsonNode current, String struct, String fieldPath, String strictPath)
            throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL
                && type instanceof DecodeType.Scalar s
                && s.kind() == DecodeType.Kind.STRING) {
            return NODES.textNode("");
        }
        return value(p, type, current, struct, fieldPath, strictPath);
    }

    private JsonNode struct(JsonParser p, DecodeType.Struct type, JsonNode current, String fieldPath, String strictPath)
            throws IOException {
        ObjectNode out = current instanceof ObjectNode o ? o : NODES.objectNode();
        Set<String> seen = new HashSet<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            String path = strictPath.isEmpty() ? key : strictPath + "." + key;
            DecodeType field = type.field(key);
            if (field == null) {
                strictErrors.add("unknown field \"" + path + "\"");
                p.skipChildren();
                continue;
            }
            if (!seen.add(key)) {
                strictErrors.add("duplicate field \"" + path + "\"");
            }
            String nextField = fieldPath.isEmpty() ? key : fieldPath + "." + key;
            out.set(key, value(p, field, out.get(key), type.simpleName(), nextField, path));
        }
        return out;
    }

    private JsonNode scalar(JsonParser p, DecodeType.Scalar type, String struct, String fieldPath) throws IOException {
        JsonToken token = p.currentToken();
        switch (type.kind()) {
            case ANY:
                return p.readValueAsTree();
            case STRING:
                return token == JsonToken.VALUE_STRING
                        ? NODES.textNode(p.getText())
                        : mismatch(p, type, struct, fieldPath);
            case BOOL:
                return token.isBoolean()
                        ? NODES.booleanNode(token == JsonToken.VALUE_TRUE)
                        : mismatch(p, type, struct, fieldPath);
            case INT32:
            case INT64:
                return integer(p, type.kind() == DecodeType.Kind.INT32, type.goName(), struct, fieldPath);
            case FLOAT:
                return token.isNumeric() ? p.readValueAsTree() : mismatch(p, type, struct, fieldPath);
            case BYTES:
                if (token != JsonToken.VALUE_STRING) {
                    return mismatch(p, type, struct, fieldPath);
                }
                String text = p.getText();
                String bad = SecretStrategy.base64Error(text);
                if (bad != null) {
                    error(bad);
                }
                return NODES.textNode(text);
            case INT_OR_STRING:
                // IntOrString.UnmarshalJSON: a string, else json.Unmarshal into its int32 (the error keeps the context)
                return token == JsonToken.VALUE_STRING
                        ? NODES.textNode(p.getText())
                        : integer(p, true, "int32", struct, fieldPath);
            case QUANTITY:
                // Quantity.UnmarshalJSON parses the JSON text, quotes trimmed: numbers are quantities too
                if ((token == JsonToken.VALUE_STRING || token.isNumeric())
                        && Quantity.tryParse(p.getText().trim()).isPresent()) {
                    return token == JsonToken.VALUE_STRING ? NODES.textNode(p.getText()) : p.readValueAsTree();
                }
                error(QUANTITY_ERROR);
                p.skipChildren();
                return NODES.nullNode();
            case TIME:
            case MICRO_TIME:
                // metav1.Time.UnmarshalJSON: into a string first (that error keeps the context), then time.Parse
                if (token != JsonToken.VALUE_STRING) {
                    return mismatch(p, type, struct, fieldPath);
                }
                String time = p.getText();
                String parseError = GoTime.parseError(
                        type.kind() == DecodeType.Kind.TIME ? GoTime.RFC3339 : GoTime.RFC3339_MICRO, time);
                if (parseError != null) {
                    error(parseError);
                }
                return NODES.textNode(time);
            default:
                throw new IllegalStateException(type.kind().name());
        }
    }

    private JsonNode integer(JsonParser p, boolean int32, String goName, String struct, String fieldPath)
            throws IOException {
        JsonToken token = p.currentToken();
        if (!token.isNumeric()) {
            error("json: cannot unmarshal " + jsonKind(token) + " into Go struct field " + struct + "." + fieldPath
                    + " of type " + goName);
            p.skipChildren();
            return NODES.nullNode();
        }
        String literal = p.getText();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            BigInteger v = p.getBigIntegerValue();
            boolean fits = int32 ? v.bitLength() < 32 : v.compareTo(INT64_MIN) >= 0 && v.compareTo(INT64_MAX) <= 0;
            if (fits) {
                // the node types Jackson's own parse makes (IntNode within int range): trees are compared by equals
                return v.bitLength() < 32 ? NODES.numberNode(v.intValue()) : NODES.numberNode(v.longValue());
            }
        }
        error("json: cannot unmarshal number " + literal + " into Go struct field " + struct + "." + fieldPath
                + " of type " + goName);
        return NODES.nullNode();
    }

    private JsonNode mismatch(JsonParser p, DecodeType type, String struct, String fieldPath) throws IOException {
        error("json: cannot unmarshal " + jsonKind(p.currentToken()) + " into Go struct field " + struct + "."
                + fieldPath + " of type " + type.goName());
        p.skipChildren();
        return NODES.nullNode();
    }

    private void error(String message) {
        if (typeError == null) {
            typeError = message;
        }
    }

    /** encoding/json's names of JSON values in UnmarshalTypeError. */
    public static String jsonKind(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "object";
            case START_ARRAY:
                return "array";
            case VALUE_STRING:
                return "string";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "bool";
            default:
                return "number";
        }
    }
}
