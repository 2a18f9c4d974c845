package io.kubetwin.apiserver.registry.codec;

import static io.kubetwin.apiserver.registry.codec.ProtobufSchema.FIELDS_V1;
import static io.kubetwin.apiserver.registry.codec.ProtobufSchema.INT_OR_STRING;
import static io.kubetwin.apiserver.registry.codec.ProtobufSchema.JSON_VALUE;
import static io.kubetwin.apiserver.registry.codec.ProtobufSchema.MICRO_TIME;
import static io.kubetwin.apiserver.registry.codec.ProtobufSchema.PROPS_OR_ARRAY;
import static io.kubetwin.apiserver.registry.codec.ProtobufSchema.PROPS_OR_BOOL;
import static io.kubetwin.apiserver.registry.codec.ProtobufSchema.PROPS_OR_STRING_ARRAY;
import static io.kubetwin.apiserver.registry.codec.ProtobufSchema.QUANTITY;
import static io.kubetwin.apiserver.registry.codec.ProtobufSchema.RAW_EXTENSION;
import static io.kubetwin.apiserver.registry.codec.ProtobufSchema.TIME;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kubetwin.apiserver.registry.codec.ProtobufSchema.Field;
import io.kubetwin.apiserver.registry.codec.ProtobufSchema.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes objects in Kubernetes' protobuf encoding byte for byte as kube-apiserver v1.34.4 does: the magic
 * {@code k8s\0}, then a runtime.Unknown whose typeMeta names apiVersion and kind, whose raw is the object's generated
 * message, and whose contentEncoding and contentType are empty
 * (k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go, runtime/types_proto.go NestedMarshalTo). The
 * message is written as gogo-protobuf's generated marshallers write it: fields in field-number order, non-pointer
 * fields even when zero, pointer fields only when set, map entries sorted by key, repeated scalars unpacked
 * ({@link ProtobufSchema} knows which is which). The JSON tree's values are read with encoding/json's conventions:
 * Time in RFC 3339 (seconds only, as metav1.Time keeps them), MicroTime with microseconds, Quantity and IntOrString
 * flattened, bytes in base64, embedded JSON (RawExtension, FieldsV1) as its compact text.
 *
 * <p>Stateless and thread-safe.
 */
public final class ProtobufEncoder {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH = 2;

    private ProtobufEncoder() {}

    /** Whether objects of this apiVersion and kind have a protobuf form. */
    public static boolean supports(String apiVersion, String kind) {
        return ProtobufSchema.forKind(apiVersion, kind) != null;
    }

    /**
     * The object (with its {@code apiVersion} and {@code kind}) in the protobuf encoding.
     *
     * @throws IllegalArgumentException when its kind has no protobuf form or a value does not fit its field
     */
    public static byte[] encode(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        Message message = ProtobufSchema.forKind(apiVersion, kind);
        if (message == null) {
            throw new IllegalArgumentException("no protobuf form for " + apiVersion + ", Kind=" + kind);
        }
        ByteArrayOutputStream typeMeta = new ByteArrayOutputStream();
        string(typeMeta, 1, apiVersion);
        string(typeMeta, 2, kind);
        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        bytes(unknown, 1, typeMeta.toByteArray());
        bytes(unknown, 2, message(message, object));
        string(unknown, 3, ""); // contentEncoding
        string(unknown, 4, ""); // contentType
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ProtobufSchema.MAGIC);
        out.writeBytes(unknown.toByteArray());
        return out.toByteArray();
    }

    /** The message's bytes for a JSON value (null or missing: the zero value). */
    private static byte[] message(Message message, JsonNode value) {
        JsonNode v = value == null ? MissingNode.getInstance() : value;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (message.customJson() || message.list()) {
            custom(out, message, v);
            return out.toByteArray();
        }
        for (Field f : message.fields()) {
            field(out, f, f.inline() ? v : v.get(f.json()));
        }
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, Field f, JsonNode v) {
        boolean present = v != null && !v.isNull() && !v.isMissingNode();
        switch (f.label()) {
            case MAP -> {
                if (present && v.isObject()) {
                    for (Map.Entry<String, JsonNode> e : sortedByGoOrder(v)) {
                        ByteArrayOutputStream entry = new ByteArrayOutputStream();
                        string(entry, 1, e.getKey());
                        JsonNode value = e.getValue();
                        // gogo writes a nil []byte value without its field, every other value always
                        if (!f.type().equals("bytes") || !value.isNull()) {
                            value(entry, f, 2, value);
                        }
                        bytes(out, f.number(), entry.toByteArray());
                    }
                }
            }
            case REPEATED -> {
                if (present && v.isArray()) {
                    for (JsonNode item : v) {
                        value(out, f, f.number(), item);
                    }
                }
            }
            case SINGLE -> {
                if (present || f.always()) {
                    value(out, f, f.number(), present ? v : null);
                }
            }
        }
    }

    /** One value of a field (null: the zero value) under {@code number}. */
    private static void value(ByteArrayOutputStream out, Field f, int number, JsonNode v) {
        boolean zero = v == null || v.isNull();
        switch (f.type()) {
            case "string" -> string(out, number, zero ? "" : v.asText());
            case "bytes" -> bytes(out, number, zero ? new byte[0] : base64(v));
            case "bool" -> varint(out, number, !zero && v.asBoolean() ? 1 : 0);
            case "int32", "int64", "uint32", "uint64" -> varint(out, number, zero ? 0 : v.asLong());
            case "double" -> {
                tag(out, number, FIXED64);
                long bits = Double.doubleToRawLongBits(zero ? 0 : v.asDouble());
                for (int i = 0; i < 8; i++) {
                    out.write((int) (bits >>> (8 * i)) & 0xff);
                }
            }
            default -> bytes(out, number, message(ProtobufSchema.message(f.type()), v));
        }
    }

    /** The types whose JSON form is their own (metav1.Time, resource.Quantity, ...), and list wrappers. */
    private static void custom(ByteArrayOutputStream out, Message message, JsonNode v) {
        boolean zero = v.isNull() || v.isMissingNode();
        switch (message.name()) {
            case TIME, MICRO_TIME -> {
                if (!zero && !v.asText().isEmpty()) {
                    Instant t = OffsetDateTime.parse(v.asText()).toInstant();
                    varint(out, 1, t.getEpochSecond());
                    // metav1.Time keeps seconds only (time_proto.go); MicroTime truncates to microseconds
                    varint(out, 2, message.name().equals(TIME) ? 0 : t.getNano() / 1000 * 1000);
                }
            }
            case QUANTITY -> string(out, 1, zero ? "0" : v.asText());
            case INT_OR_STRING -> {
                boolean isString = !zero && v.isTextual();
                varint(out, 1, isString ? 1 : 0);
                varint(out, 2, isString || zero ? 0 : v.asInt());
                string(out, 3, isString ? v.asText() : "");
            }
            case RAW_EXTENSION, FIELDS_V1, JSON_VALUE -> {
                if (!zero) {
                    bytes(out, 1, compact(v));
                }
            }
            case PROPS_OR_BOOL -> {
                varint(out, 1, v.isObject() || v.asBoolean() ? 1 : 0);
                if (v.isObject()) {
                    bytes(out, 2, message(schemaProps(), v));
                }
            }
            case PROPS_OR_ARRAY -> {
                if (v.isObject()) {
                    bytes(out, 1, message(schemaProps(), v));
                } else if (v.isArray()) {
                    for (JsonNode item : v) {
                        bytes(out, 2, message(schemaProps(), item));
                    }
                }
            }
            case PROPS_OR_STRING_ARRAY -> {
                if (v.isObject()) {
                    bytes(out, 1, message(schemaProps(), v));
                } else if (v.isArray()) {
                    for (JsonNode item : v) {
                        string(out, 2, item.asText());
                    }
                }
            }
            default -> {
                if (!message.list()) {
                    throw new IllegalStateException("no JSON form for " + message.name());
                }
                Field items = message.fields().get(0);
                if (v.isArray()) {
                    for (JsonNode item : v) {
                        value(out, items, items.number(), item);
                    }
                }
            }
        }
    }

    private static Message schemaProps() {
        return ProtobufSchema.message(ProtobufSchema.EXTENSIONS + "JSONSchemaProps");
    }

    /** Go sorts map keys as strings, which compares their UTF-8 bytes (github.com/gogo/protobuf/sortkeys). */
    private static List<Map.Entry<String, JsonNode>> sortedByGoOrder(JsonNode map) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            entries.add(it.next());
        }
        entries.sort((a, b) -> goCompare(a.getKey(), b.getKey()));
        return entries;
    }

    /** Go's string comparison: by the bytes of their UTF-8 (Java's compareTo differs beyond the BMP). */
    static int goCompare(String a, String b) {
        return Arrays.compareUnsigned(utf8(a), utf8(b));
    }

    private static byte[] compact(JsonNode v) {
        try {
            return MAPPER.writeValueAsBytes(v);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static byte[] base64(JsonNode v) {
        try {
            return Base64.getDecoder().decode(v.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("illegal base64 data: " + e.getMessage(), e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void string(ByteArrayOutputStream out, int number, String value) {
        bytes(out, number, utf8(value));
    }

    private static void bytes(ByteArrayOutputStream out, int number, byte[] value) {
        tag(out, number, LENGTH);
        rawVarint(out, value.length);
        out.writeBytes(value);
    }

    private static void varint(ByteArrayOutputStream out, int number, long value) {
        tag(out, number, VARINT);
        rawVarint(out, value);
    }

    private static void tag(ByteArrayOutputStream out, int number, int wireType) {
        rawVarint(out, ((long) number << 3) | wireType);
    }

    /** A varint of the value's 64 bits: a negative int32 takes ten bytes, as Go's uint64(int32) conversion. */
    private static void rawVarint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
