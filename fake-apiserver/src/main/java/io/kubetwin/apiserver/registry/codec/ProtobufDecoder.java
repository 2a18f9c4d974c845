package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;

/**
 * Kubernetes' protobuf encoding (k8s.io/apimachinery/pkg/runtime/serializer/protobuf) to JSON trees:
 * the {@code k8s\0} magic, a runtime.Unknown envelope carrying apiVersion/kind and the raw message, and
 * the message itself decoded with {@link ProtoSchema}. Fields that are zero-valued are dropped, as the Go
 * JSON encoding's omitempty drops them; unknown field numbers are skipped. Pure and thread-safe.
 */
public final class ProtobufDecoder {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    private static final byte[] MAGIC = {'k', '8', 's', 0};
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ProtobufDecoder() {}

    /** A decoded envelope: the apiVersion and kind it names and the object (null when the kind is not known). */
    public record Decoded(String apiVersion, String kind, ObjectNode object) {}

    /** Whether a message schema exists for (group, kind). */
    public static boolean supports(String group, String kind) {
        return ProtoSchema.KINDS.containsKey(group + "/" + kind);
    }

    /** Decodes an envelope; throws IllegalArgumentException with a description of malformed input. */
    public static Decoded decode(byte[] data) {
        if (data.length < 4 || data[0] != MAGIC[0] || data[1] != MAGIC[1] || data[2] != MAGIC[2] || data[3] != MAGIC[3]) {
            throw new IllegalArgumentException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }
        Reader r = new Reader(data, 4, data.length);
        String apiVersion = "";
        String kind = "";
        byte[] raw = new byte[0];
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (field == 1 && wire == 2) {
                Reader tm = r.sub();
                while (tm.more()) {
                    long t = tm.varint();
                    if ((t >>> 3) == 1 && (t & 7) == 2) {
                        apiVersion = tm.string();
                    } else if ((t >>> 3) == 2 && (t & 7) == 2) {
                        kind = tm.string();
                    } else {
                        tm.skip((int) (t & 7));
                    }
                }
            } else if (field == 2 && wire == 2) {
                raw = r.bytes();
            } else {
                r.skip(wire);
            }
        }
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String message = ProtoSchema.KINDS.get(group + "/" + kind);
        if (message == null) {
            return new Decoded(apiVersion, kind, null);
        }
        ObjectNode object = F.objectNode();
        object.put("kind", kind);
        object.put("apiVersion", apiVersion);
        object.setAll(message(message, new Reader(raw, 0, raw.length)));
        return new Decoded(apiVersion, kind, object);
    }

    private static ObjectNode message(String name, Reader r) {
        Map<Integer, ProtoSchema.Field> fields = ProtoSchema.MESSAGES.get(name);
        ObjectNode out = F.objectNode();
        while (r.more()) {
            long tag = r.varint();
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            ProtoSchema.Field f = fields == null ? null : fields.get(number);
            if (f == null) {
                r.skip(wire);
                continue;
            }
            switch (f.type()) {
                case STRING -> {
                    String v = r.string();
                    if (f.repeated()) {
                        array(out, f.json()).add(v);
                    } else if (!v.isEmpty()) {
                        out.put(f.json(), v);
                    }
                }
                case BYTES -> {
                    byte[] v = r.bytes();
                    if (v.length > 0) {
                        out.put(f.json(), Base64.getEncoder().encodeToString(v));
                    }
                }
                case BOOL -> {
                    boolean v = r.varint() != 0;
                    // pointers (*bool) travel only when set, so presence is meaningful
                    out.put(f.json(), v);
                }
                case INT64, INT32 -> {
                    long v = r.varint();
                    // generation is the one plain (non-pointer) integer here; Go's omitempty drops its zero
                    if (v != 0 || !f.json().equals("generation")) {
                        out.put(f.json(), v);
                    }
                }
                case TIME, MICRO_TIME -> {
                    String t = time(r.sub(), f.type() == ProtoSchema.Type.MICRO_TIME);
                    if (t != null) {
                        out.put(f.json(), t);
                    }
                }
                case MESSAGE -> {
                    ObjectNode v = message(f.message(), r.sub());
                    if (f.repeated()) {
                        array(out, f.json()).add(v);
                    } else {
                        out.set(f.json(), v);
                    }
                }
                case STRING_MAP, BYTES_MAP, EXTRA_MAP -> {
                    ObjectNode map = out.has(f.json()) ? (ObjectNode) out.get(f.json()) : out.putObject(f.json());
                    Reader entry = r.sub();
                    String key = "";
                    com.fasterxml.jackson.databind.JsonNode value = F.textNode("");
                    while (entry.more()) {
                        long t = entry.varint();
                        if ((t >>> 3) == 1) {
                            key = entry.string();
                        } else if ((t >>> 3) == 2) {
                            value = switch (f.type()) {
                                case BYTES_MAP -> F.textNode(Base64.getEncoder().encodeToString(entry.bytes()));
                                case EXTRA_MAP -> {
                                    ArrayNode items = F.arrayNode();
                                    Reader ev = entry.sub();
                                    while (ev.more()) {
                                        long et = ev.varint();
                                        if ((et >>> 3) == 1) {
                                            items.add(ev.string());
                                        } else {
                                            ev.skip((int) (et & 7));
                                        }
                                    }
                                    yield items;
                                }
                                default -> F.textNode(entry.string());
                            };
                        } else {
                            entry.skip((int) (t & 7));
                        }
                    }
                    map.set(key, value);
                }
            }
        }
        return out;
    }

    private static ArrayNode array(ObjectNode out, String name) {
        return out.has(name) ? (ArrayNode) out.get(name) : out.putArray(name);
    }

    /** metav1.Time: null for the zero time (seconds of 0001-01-01 are negative; an empty message is zero). */
    private static String time(Reader r, boolean micro) {
        long seconds = 0;
        long nanos = 0;
        boolean any = false;
        while (r.more()) {
            long t = r.varint();
            any = true;
            if ((t >>> 3) == 1) {
                seconds = r.varint();
            } else if ((t >>> 3) == 2) {
                nanos = r.varint();
            } else {
                r.skip((int) (t & 7));
            }
        }
        if (!any || seconds == -62135596800L) {
            return null;
        }
        Instant i = Instant.ofEpochSecond(seconds, nanos);
        return micro ? DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC).format(i)
                : i.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A bounded reader over the protobuf wire format. */
    private static final class Reader {
        private final byte[] data;
        private int pos;
        private final int end;

        Reader(byte[] data, int pos, int end) {
            this.data = data;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("unexpected EOF");
                }
                byte b = data[pos++];
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("proto: integer overflow");
        }

        int length() {
            long n = varint();
            if (n < 0 || pos + n > end) {
                throw new IllegalArgumentException("unexpected EOF");
            }
            return (int) n;
        }

        byte[] bytes() {
            int n = length();
            byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + n);
            pos += n;
            return out;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Reader sub() {
            int n = length();
            Reader r = new Reader(data, pos, pos + n);
            pos += n;
            return r;
        }

        void skip(int wire) {
            switch (wire) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int n = length(); // read first: "pos += length()" would add to the position before the length
                    pos += n;
                }
                case 5 -> pos += 4;
                default -> throw new IllegalArgumentException("proto: illegal wireType " + wire);
            }
            if (pos > end) {
                throw new IllegalArgumentException("unexpected EOF");
            }
        }
    }
}
