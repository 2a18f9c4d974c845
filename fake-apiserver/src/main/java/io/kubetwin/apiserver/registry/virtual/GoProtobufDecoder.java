package io.kubetwin.apiserver.registry.virtual;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * Reads {@code application/vnd.kubernetes.protobuf} bodies: the {@code k8s\0} envelope
 * (runtime.Unknown: typeMeta, raw) around a gogo-protobuf message of the versioned type, decoded by the
 * field numbers of a {@link GoType} schema (the numbers of k8s.io/api's generated.proto). Unknown fields are
 * skipped, as protobuf does. Stateless and thread-safe.
 */
public final class GoProtobufDecoder {
    /** The envelope's magic prefix (k8s.io/apimachinery/pkg/runtime/serializer/protobuf). */
    static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The envelope's type and payload. */
    public record Envelope(String apiVersion, String kind, byte[] raw) {}

    private GoProtobufDecoder() {}

    /** Opens the envelope; a body without the prefix or with a broken envelope is a 400. */
    public static Envelope unwrap(byte[] body, String expectedKind) {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw Statuses.badRequest("the object provided is unrecognized (must be of type " + expectedKind
                    + "): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length);
            String apiVersion = "";
            String kind = "";
            byte[] raw = new byte[0];
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int number = WireFormat.getTagFieldNumber(tag);
                if (number == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    CodedInputStream typeMeta = CodedInputStream.newInstance(in.readByteArray());
                    for (int t = typeMeta.readTag(); t != 0; t = typeMeta.readTag()) {
                        switch (WireFormat.getTagFieldNumber(t)) {
                            case 1 -> apiVersion = typeMeta.readString();
                            case 2 -> kind = typeMeta.readString();
                            default -> typeMeta.skipField(t);
                        }
                    }
                } else if (number == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    raw = in.readByteArray();
                } else {
                    in.skipField(tag);
                }
            }
            return new Envelope(apiVersion, kind, raw);
        } catch (IOException e) {
            throw malformed(expectedKind, e);
        }
    }

    /** Decodes a message of the struct type into its Go value. */
    public static ObjectNode decode(byte[] message, GoType.Struct type, String kindForErrors) {
        try {
            return struct(message, type, (ObjectNode) GoValues.zero(type));
        } catch (IOException | RuntimeException e) {
            if (e instanceof StatusException se) {
                throw se;
            }
            throw malformed(kindForErrors, e);
        }
    }

    private static StatusException malformed(String kind, Exception e) {
        return Statuses.badRequest("the object provided is unrecognized (must be of type " + kind + "): " + e.getMessage());
    }

    private static ObjectNode struct(byte[] message, GoType.Struct type, ObjectNode into) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(message);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            var field = type.fieldByNumber(WireFormat.getTagFieldNumber(tag));
            if (field.isEmpty()) {
                in.skipField(tag);
                continue;
            }
            String name = field.get().json();
            into.set(name, read(in, tag, field.get().type(), into.get(name)));
        }
        return into;
    }

    /** Reads one occurrence of a field; repeated fields and map entries accumulate into {@code current}. */
    private static JsonNode read(CodedInputStream in, int tag, GoType type, JsonNode current) throws IOException {
        if (type instanceof GoType.Ptr ptr) {
            return read(in, tag, ptr.elem(), current == null || current.isNull() ? GoValues.zero(ptr.elem()) : current);
        }
        if (type instanceof GoType.Slice slice) {
            ArrayNode items = current instanceof ArrayNode a ? a : GoValues.NODES.arrayNode();
            items.add(read(in, tag, slice.elem(), GoValues.zero(slice.elem())));
            return items;
        }
        if (type instanceof GoType.MapOf map) {
            ObjectNode entries = current instanceof ObjectNode o ? o : GoValues.NODES.objectNode();
            CodedInputStream entry = CodedInputStream.newInstance(in.readByteArray());
            String key = "";
            JsonNode value = GoValues.zero(map.value());
            for (int t = entry.readTag(); t != 0; t = entry.readTag()) {
                switch (WireFormat.getTagFieldNumber(t)) {
                    case 1 -> key = entry.readString();
                    case 2 -> value = entryValue(entry, t, map.value());
                    default -> entry.skipField(t);
                }
            }
            entries.set(key, value);
            return entries;
        }
        if (type instanceof GoType.Str) {
            return GoValues.NODES.textNode(in.readString());
        }
        if (type instanceof GoType.Int i) {
            return GoValues.NODES.numberNode(i.bits() == 32 ? in.readInt32() : in.readInt64());
        }
        if (type instanceof GoType.Bool) {
            return GoValues.NODES.booleanNode(in.readBool());
        }
        if (type instanceof GoType.Time) {
            return time(in.readByteArray());
        }
        if (type instanceof GoType.Raw) {
            // metav1.FieldsV1 { bytes Raw = 1 }
            CodedInputStream raw = CodedInputStream.newInstance(in.readByteArray());
            JsonNode out = GoValues.NODES.nullNode();
            for (int t = raw.readTag(); t != 0; t = raw.readTag()) {
                if (WireFormat.getTagFieldNumber(t) == 1) {
                    out = JSON.readTree(raw.readByteArray());
                } else {
                    raw.skipField(t);
                }
            }
            return out;
        }
        GoType.Struct struct = (GoType.Struct) type;
        ObjectNode into = current instanceof ObjectNode o ? o : (ObjectNode) GoValues.zero(struct);
        return struct(in.readByteArray(), struct, into);
    }

    /** A map value: the {@code ExtraValue} message wraps its items in field 1. */
    private static JsonNode entryValue(CodedInputStream entry, int tag, GoType type) throws IOException {
        if (type instanceof GoType.Slice slice && slice.protoWrapped()) {
            CodedInputStream items = CodedInputStream.newInstance(entry.readByteArray());
            ArrayNode out = GoValues.NODES.arrayNode();
            for (int t = items.readTag(); t != 0; t = items.readTag()) {
                if (WireFormat.getTagFieldNumber(t) == 1) {
                    out.add(read(items, t, slice.elem(), null));
                } else {
                    items.skipField(t);
                }
            }
            return out;
        }
        return read(entry, tag, type, null);
    }

    /** metav1.Time from {@code Timestamp{seconds=1, nanos=2}}; all zero is the zero time. */
    private static JsonNode time(byte[] message) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(message);
        long seconds = 0;
        int nanos = 0;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> seconds = in.readInt64();
                case 2 -> nanos = in.readInt32();
                default -> in.skipField(t);
            }
        }
        if (seconds == 0 && nanos == 0) {
            return GoValues.NODES.nullNode();
        }
        return GoValues.NODES.textNode(rfc3339(Instant.ofEpochSecond(seconds, nanos)));
    }

    /** metav1.Time's JSON form: RFC 3339 in UTC, whole seconds. */
    public static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
