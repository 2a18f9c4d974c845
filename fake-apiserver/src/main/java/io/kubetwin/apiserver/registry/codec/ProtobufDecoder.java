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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.kubetwin.apiserver.registry.codec.ProtobufSchema.Field;
import io.kubetwin.apiserver.registry.codec.ProtobufSchema.Label;
import io.kubetwin.apiserver.registry.codec.ProtobufSchema.Message;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes' protobuf encoding ({@code application/vnd.kubernetes.protobuf}): request bodies of kubectl's
 * typed clients and the values kube-apiserver stores for built-in kinds. The 4-byte magic {@code k8s\0}, a
 * runtime.Unknown envelope naming apiVersion and kind, and the object's generated message
 * (k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go), the mirror of {@link ProtobufEncoder} over the
 * same {@link ProtobufSchema}. The object becomes the JSON tree kube-apiserver's encoding/json would write for the
 * Go struct it decodes into: zero values of omitempty fields left out, unset pointers absent (or null without
 * omitempty), nil lists and maps null, Time in RFC 3339 seconds, Quantity and IntOrString flattened, bytes in
 * base64, list wrappers (ExtraValue) as arrays, inlined messages (Volume's VolumeSource) merged into their parent.
 * Fields are in field-number order; callers that answer with the object put it in Go's order.
 *
 * <p>Stateless and thread-safe.
 */
public final class ProtobufDecoder {
    public static final String MEDIA_TYPE = ProtobufSchema.MEDIA_TYPE;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProtobufDecoder() {}

    /** A decoded envelope: the apiVersion and kind it names and the object (null when the kind has no protobuf form). */
    public record Decoded(String apiVersion, String kind, ObjectNode object) {}

    /** Whether (group, kind) is a built-in kind with a protobuf form (custom resources have none). */
    public static boolean supports(String group, String kind) {
        return ProtobufSchema.supports(group, kind);
    }

    /**
     * The body as a JSON object with {@code apiVersion} and {@code kind} from the envelope.
     *
     * @throws IllegalArgumentException with a decode error text when the body is not a Kubernetes protobuf object
     */
    public static Decoded decode(byte[] body) {
        return decode(body, "", "");
    }

    /**
     * The same, the envelope's empty kind and apiVersion defaulted from the endpoint's (copyKindDefaults in the
     * protobuf serializer).
     */
    public static Decoded decode(byte[] body, String defaultApiVersion, String defaultKind) {
        // the protobuf serializer's checks, in its order
        if (body.length == 0) {
            throw new IllegalArgumentException("empty data");
        }
        if (!ProtobufSchema.hasMagic(body)) {
            throw new IllegalArgumentException(
                    "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }
        if (body.length == ProtobufSchema.MAGIC.length) {
            throw new IllegalArgumentException("empty body");
        }
        try {
            Map<Integer, List<Object>> envelope = fields(
                    CodedInputStream.newInstance(
                            body, ProtobufSchema.MAGIC.length, body.length - ProtobufSchema.MAGIC.length),
                    "Unknown");
            Map<Integer, List<Object>> typeMeta = fields(bytesOf(last(envelope, 1)), "TypeMeta");
            String apiVersion = string(last(typeMeta, 1));
            String kind = string(last(typeMeta, 2));
            apiVersion = apiVersion.isEmpty() ? defaultApiVersion : apiVersion;
            kind = kind.isEmpty() ? defaultKind : kind;
            Message message = ProtobufSchema.forKind(apiVersion, kind);
            if (message == null) {
                return new Decoded(apiVersion, kind, null);
            }
            ObjectNode object = JSON.objectNode();
            object.put("kind", kind);
            object.put("apiVersion", apiVersion);
            object.setAll((ObjectNode) message(message, bytesOf(last(envelope, 2))));
            return new Decoded(apiVersion, kind, object);
        } catch (InvalidProtocolBufferException e) {
            throw decodeError(e);
        } catch (IOException e) {
            throw new IllegalArgumentException("proto: " + e.getMessage(), e);
        }
    }

    /** Go's wording: a message cut short is "unexpected EOF"; other malformed input is a proto error. */
    private static IllegalArgumentException decodeError(InvalidProtocolBufferException e) {
        String message = e.getMessage() != null && e.getMessage().contains("ended unexpectedly")
                ? "unexpected EOF"
                : "proto: " + e.getMessage();
        return new IllegalArgumentException(message, e);
    }

    /** The fields of one message by number, each value a Long (varint, fixed) or byte[] (length-delimited). */
    /**
     * The fields of one message; {@code goType} names it in gogo-protobuf's error for a field number 0
     * ({@code proto: Unknown: illegal tag 0 (wire type 0)}), read before protobuf-java would refuse the tag.
     */
    private static Map<Integer, List<Object>> fields(CodedInputStream in, String goType) throws IOException {
        Map<Integer, List<Object>> out = new HashMap<>();
        while (!in.isAtEnd()) {
            int tag = in.readRawVarint32();
            if (WireFormat.getTagFieldNumber(tag) == 0) {
                throw new InvalidProtocolBufferException(
                        goType + ": illegal tag 0 (wire type " + WireFormat.getTagWireType(tag) + ")");
            }
            Object value =
                    switch (WireFormat.getTagWireType(tag)) {
                        case WireFormat.WIRETYPE_VARINT -> in.readRawVarint64();
                        case WireFormat.WIRETYPE_FIXED64 -> in.readRawLittleEndian64();
                        case WireFormat.WIRETYPE_FIXED32 -> (long) in.readRawLittleEndian32();
                        case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.readByteArray();
                        default ->
                            throw new InvalidProtocolBufferException(
                                    "illegal wireType " + WireFormat.getTagWireType(tag));
                    };
            out.computeIfAbsent(WireFormat.getTagFieldNumber(tag), n -> new ArrayList<>())
                    .add(value);
        }
        return out;
    }

    private static Map<Integer, List<Object>> fields(byte[] data, String goType) throws IOException {
        return fields(CodedInputStream.newInstance(data), goType);
    }

    private static JsonNode message(Message message, byte[] data) throws IOException {
        Map<Integer, List<Object>> values =
                fields(data, message.name().substring(message.name().lastIndexOf('.') + 1));
        if (message.customJson() || message.list()) {
            return custom(message, values, data.length == 0);
        }
        ObjectNode out = JSON.objectNode();
        for (Field f : message.fields()) {
            List<Object> vs = values.get(f.number());
            if (f.inline()) {
                out.setAll((ObjectNode) message(
                        ProtobufSchema.message(f.type()),
                        vs == null ? new byte[0] : bytesOf(last(values, f.number()))));
                continue;
            }
            JsonNode value =
                    switch (f.label()) {
                        case MAP -> vs == null ? null : map(f, vs);
                        case REPEATED -> vs == null ? null : repeated(f, vs);
                        case SINGLE ->
                            vs == null ? (f.always() ? single(f, null) : null) : single(f, vs.get(vs.size() - 1));
                    };
            if (value == null) {
                // a nil pointer, list or map: left out with omitempty, else null
                if (!f.omitEmpty()) {
                    out.putNull(f.json());
                }
            } else if (!omitted(f, value)) {
                out.set(f.json(), value);
            }
        }
        return out;
    }

    /** encoding/json's omitempty on a set value: zero scalars of non-pointer fields, and empty bytes. */
    private static boolean omitted(Field f, JsonNode value) {
        if (f.omitZero() && value.isNull()) {
            return true; // metav1.Time's IsZero
        }
        if (!f.omitEmpty() || f.label() != Label.SINGLE) {
            return false;
        }
        if (f.type().equals("bytes")) {
            return value.asText().isEmpty();
        }
        if (!f.always() || f.isMessage()) {
            return false; // a set pointer is written even when its value is zero; structs are never empty
        }
        return value.isTextual() && value.asText().isEmpty()
                || value.isNumber() && value.asDouble() == 0
                || value.isBoolean() && !value.asBoolean();
    }

    private static JsonNode map(Field f, List<Object> entries) throws IOException {
        ObjectNode map = JSON.objectNode();
        for (Object entry : entries) {
            Map<Integer, List<Object>> kv = fields(bytesOf(entry), f.json());
            String key = kv.containsKey(1) ? string(last(kv, 1)) : "";
            List<Object> value = kv.get(2);
            if (value == null && f.type().equals("bytes")) {
                map.putNull(key); // a nil []byte
            } else {
                map.set(key, single(f, value == null ? null : value.get(value.size() - 1)));
            }
        }
        return map;
    }

    private static JsonNode repeated(Field f, List<Object> values) throws IOException {
        ArrayNode array = JSON.arrayNode();
        for (Object v : values) {
            boolean packed = v instanceof byte[]
                    && !f.isMessage()
                    && !f.type().equals("string")
                    && !f.type().equals("bytes");
            if (packed) {
                CodedInputStream in = CodedInputStream.newInstance((byte[]) v);
                while (!in.isAtEnd()) {
                    array.add(single(f, f.type().equals("double") ? in.readRawLittleEndian64() : in.readRawVarint64()));
                }
            } else {
                array.add(single(f, v));
            }
        }
        return array;
    }

    /** One value of a field's type (null: its zero value). */
    private static JsonNode single(Field f, Object v) throws IOException {
        long n = v instanceof Long l ? l : 0;
        return switch (f.type()) {
            case "string" -> JSON.textNode(v == null ? "" : string(v));
            case "bytes" -> JSON.textNode(Base64.getEncoder().encodeToString(v == null ? new byte[0] : bytesOf(v)));
            case "bool" -> JSON.booleanNode(n != 0);
            case "int32" -> JSON.numberNode((int) n);
            case "int64" -> JSON.numberNode(n);
            case "uint32" -> JSON.numberNode(n & 0xffffffffL);
            case "uint64" -> n >= 0 ? JSON.numberNode(n) : JSON.numberNode(new BigInteger(Long.toUnsignedString(n)));
            case "double" -> JSON.numberNode(Double.longBitsToDouble(n));
            default -> message(ProtobufSchema.message(f.type()), v == null ? new byte[0] : bytesOf(v));
        };
    }

    /** The types whose JSON form is their own, and list wrappers (the mirror of ProtobufEncoder.custom). */
    private static JsonNode custom(Message message, Map<Integer, List<Object>> values, boolean empty)
            throws IOException {
        switch (message.name()) {
            case TIME, MICRO_TIME -> {
                if (empty) {
                    return JSON.nullNode(); // a zero time
                }
                long seconds = values.containsKey(1) ? (Long) last(values, 1) : 0;
                if (message.name().equals(TIME)) {
                    return JSON.textNode(ProtobufSchema.SECONDS.format(Instant.ofEpochSecond(seconds)));
                }
                long nanos = values.containsKey(2) ? (Long) last(values, 2) : 0;
                return JSON.textNode(ProtobufSchema.MICROS.format(Instant.ofEpochSecond(seconds, nanos)));
            }
            case QUANTITY -> {
                return JSON.textNode(values.containsKey(1) ? string(last(values, 1)) : "0");
            }
            case INT_OR_STRING -> {
                long type = values.containsKey(1) ? (Long) last(values, 1) : 0;
                if (type == 1) {
                    return JSON.textNode(values.containsKey(3) ? string(last(values, 3)) : "");
                }
                return JSON.numberNode(values.containsKey(2) ? (int) (long) (Long) last(values, 2) : 0);
            }
            case RAW_EXTENSION, FIELDS_V1, JSON_VALUE -> {
                if (!values.containsKey(1) || bytesOf(last(values, 1)).length == 0) {
                    return JSON.nullNode();
                }
                try {
                    return MAPPER.readTree(bytesOf(last(values, 1)));
                } catch (IOException e) {
                    throw new IllegalArgumentException("invalid embedded JSON: " + e.getMessage(), e);
                }
            }
            case PROPS_OR_BOOL -> {
                if (values.containsKey(2)) {
                    return message(schemaProps(), bytesOf(last(values, 2)));
                }
                return JSON.booleanNode(values.containsKey(1) && (Long) last(values, 1) != 0);
            }
            case PROPS_OR_ARRAY, PROPS_OR_STRING_ARRAY -> {
                if (values.containsKey(2)) {
                    ArrayNode array = JSON.arrayNode();
                    for (Object item : values.get(2)) {
                        array.add(
                                message.name().equals(PROPS_OR_ARRAY)
                                        ? message(schemaProps(), bytesOf(item))
                                        : JSON.textNode(string(item)));
                    }
                    return array;
                }
                return values.containsKey(1) ? message(schemaProps(), bytesOf(last(values, 1))) : JSON.nullNode();
            }
            default -> {
                if (!message.list()) {
                    throw new IllegalStateException("no JSON form for " + message.name());
                }
                Field items = message.fields().get(0);
                List<Object> vs = values.get(items.number());
                return vs == null ? JSON.nullNode() : repeated(items, vs);
            }
        }
    }

    private static Message schemaProps() {
        return ProtobufSchema.message(ProtobufSchema.EXTENSIONS + "JSONSchemaProps");
    }

    private static Object last(Map<Integer, List<Object>> values, int number) {
        List<Object> vs = values.get(number);
        return vs == null ? new byte[0] : vs.get(vs.size() - 1);
    }

    private static byte[] bytesOf(Object v) throws InvalidProtocolBufferException {
        if (v instanceof byte[] b) {
            return b;
        }
        throw new InvalidProtocolBufferException("proto: wrong wireType for a length-delimited field");
    }

    private static String string(Object v) throws InvalidProtocolBufferException {
        return new String(bytesOf(v), StandardCharsets.UTF_8);
    }
}
