package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.Quantity;
import io.kubetwin.apiserver.registry.kinds.SecretStrategy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How a strategic-merge-patched object is turned back into the Go struct: not by the JSON decoder but by
 * runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation (apimachinery pkg/runtime/converter.go), with
 * its own error texts: {@code unrecognized type: int32} (a string where a number belongs), {@code cannot convert
 * float64 to int32}, {@code cannot convert int64 to string}, {@code cannot restore struct from: slice},
 * {@code cannot restore slice from string}, {@code cannot restore map from string}, and for the types with their
 * own UnmarshalJSON their decoder's text without the field ({@code json: cannot unmarshal bool into Go value of type
 * int32}). Unknown fields are collected as strict errors. Pure; one instance per conversion.
 */
public final class UnstructuredConverter {
    private String error;
    private final List<String> unknown = new ArrayList<>();

    /**
     * The first conversion error (null when none) and the unknown fields.
     *
     * @param error the converter's error text, or null
     */
    public record Result(String error, List<String> unknownFields) {
        public Result {
            unknownFields = List.copyOf(unknownFields);
        }
    }

    private UnstructuredConverter() {}

    public static Result convert(JsonNode object, DecodeType.Struct type) {
        UnstructuredConverter c = new UnstructuredConverter();
        c.value(object, type, "");
        return new Result(c.error, c.unknown);
    }

    private void value(JsonNode v, DecodeType type, String path) {
        if (v == null || v.isNull() || error != null) {
            return;
        }
        if (type instanceof DecodeType.Struct s) {
            if (!v.isObject()) {
                fail("cannot restore struct from: " + kind(v));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                DecodeType field = s.field(e.getKey());
                if (field == null) {
                    unknown.add("unknown field \"" + p + "\"");
                } else {
                    value(e.getValue(), field, p);
                }
            }
        } else if (type instanceof DecodeType.Slice slice) {
            if (!v.isArray()) {
                fail("cannot restore slice from " + kind(v));
                return;
            }
            int i = 0;
            for (JsonNode item : v) {
                value(item, slice.elem(), path + "[" + i++ + "]");
            }
        } else if (type instanceof DecodeType.MapOf map) {
            if (!v.isObject()) {
                fail("cannot restore map from " + kind(v));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                value(e.getValue(), map.elem(), path + "." + e.getKey());
            }
        } else {
            scalar(v, (DecodeType.Scalar) type);
        }
    }

    private void scalar(JsonNode v, DecodeType.Scalar type) {
        switch (type.kind()) {
            case ANY -> {}
            case STRING -> simple(v, type, "string", v.isTextual());
            case BOOL -> simple(v, type, "bool", v.isBoolean());
            case INT32, INT64 -> {
                String kind = type.kind() == DecodeType.Kind.INT32 ? "int32" : "int64";
                // floats with no fraction convert; other floats do not
                simple(v, type, kind, v.isIntegralNumber() || (v.isFloatingPointNumber() && isWhole(v)));
            }
            case FLOAT -> simple(v, type, "float64", v.isNumber());
            case BYTES -> {
                if (!v.isTextual()) {
                    fail("cannot restore slice from " + kind(v));
                } else if (!v.asText().isEmpty() && SecretStrategy.base64Error(v.asText()) != null) {
                    fail("error decoding from json: " + SecretStrategy.base64Error(v.asText()));
                }
            }
            case INT_OR_STRING -> {
                if (!v.isTextual() && !(v.isIntegralNumber() && v.canConvertToInt())) {
                    fail("json: cannot unmarshal " + (v.isNumber() ? "number " + v.asText() : kind(v))
                            + " into Go value of type int32");
                }
            }
            case QUANTITY -> {
                if (!(v.isTextual() || v.isNumber())
                        || Quantity.tryParse(v.asText().trim()).isEmpty()) {
                    fail(TypedDecoder.QUANTITY_ERROR);
                }
            }
            case TIME, MICRO_TIME -> {
                if (!v.isTextual()) {
                    fail("json: cannot unmarshal " + kind(v) + " into Go value of type string");
                } else {
                    String e = GoTime.parseError(
                            type.kind() == DecodeType.Kind.TIME ? GoTime.RFC3339 : GoTime.RFC3339_MICRO, v.asText());
                    if (e != null) {
                        fail(e);
                    }
                }
            }
            default -> throw new IllegalStateException(type.kind().name());
        }
    }

    /**
     * A simple destination kind (converter.go fromUnstructured): the same JSON kind assigns, a whole float converts
     * to an integer; a fractional float into an integer and an integer into a string are "cannot convert"; anything
     * else falls through to "unrecognized type: <dest kind>".
     */
    private void simple(JsonNode v, DecodeType.Scalar type, String destKind, boolean fits) {
        if (fits) {
            return;
        }
        boolean numericDest = !destKind.equals("string") && !destKind.equals("bool");
        if (v.isNumber() && numericDest) {
            fail("cannot convert float64 to " + type.goName());
        } else if (v.isIntegralNumber() && destKind.equals("string")) {
            fail("cannot convert int64 to " + type.goName());
        } else {
            fail("unrecognized type: " + destKind);
        }
    }

    private static boolean isWhole(JsonNode v) {
        double d = v.asDouble();
        return d == Math.rint(d) && !Double.isInfinite(d);
    }

    private void fail(String message) {
        if (error == null) {
            error = message;
        }
    }

    /** reflect.Kind names of the unstructured values. */
    private static String kind(JsonNode v) {
        if (v.isObject()) {
            return "map";
        }
        if (v.isArray()) {
            return "slice";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        return v.isIntegralNumber() ? "int64" : "float64";
    }
}
