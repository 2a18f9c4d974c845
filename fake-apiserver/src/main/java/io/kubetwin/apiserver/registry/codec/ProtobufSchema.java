package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The messages of Kubernetes' protobuf encoding as kube-apiserver v1.34.4's generated gogo-protobuf code writes
 * them, shared by {@link ProtobufEncoder} and {@link ProtobufDecoder}: per message, its fields in field-number order
 * with their JSON names, types, and whether the marshaller writes them even when zero (Go's non-pointer fields) and
 * whether encoding/json omits them when empty ({@code omitempty}). The data ({@code protobuf-schema.json}) is
 * recorded from the pinned Go types and their marshallers by {@code ci/reference/record-protobuf-schema.sh}.
 *
 * <p>Immutable after class initialisation; thread-safe.
 */
public final class ProtobufSchema {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    /** The 4-byte prefix of every value (k8s.io/apimachinery/pkg/runtime/serializer/protobuf). */
    static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

    static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
    static final String TIME = META + "Time";
    static final String MICRO_TIME = META + "MicroTime";
    static final String FIELDS_V1 = META + "FieldsV1";
    static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
    static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
    static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";
    static final String EXTENSIONS = "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.";
    static final String JSON_VALUE = EXTENSIONS + "JSON";
    static final String PROPS_OR_BOOL = EXTENSIONS + "JSONSchemaPropsOrBool";
    static final String PROPS_OR_ARRAY = EXTENSIONS + "JSONSchemaPropsOrArray";
    static final String PROPS_OR_STRING_ARRAY = EXTENSIONS + "JSONSchemaPropsOrStringArray";

    /** metav1.Time's JSON form (RFC 3339 in seconds, UTC) and MicroTime's (microseconds). */
    static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    /** A field's shape: one value, a repeated field, or a map (string keys, entries sorted by key). */
    enum Label {
        SINGLE,
        REPEATED,
        MAP
    }

    /**
     * One field.
     *
     * @param json its JSON name; empty when the message is inlined in the parent's JSON object (Volume's
     *     VolumeSource)
     * @param type {@code string, bytes, bool, int32, int64, uint32, uint64, double} or a message name
     * @param always written even when zero (a non-pointer field); otherwise only when set (pointers, bytes, lists)
     * @param omitEmpty encoding/json's omitempty
     * @param omitZero encoding/json's omitzero (a zero struct is left out too)
     */
    record Field(
            int number, String json, String type, Label label, boolean always, boolean omitEmpty, boolean omitZero) {
        boolean inline() {
            return json.isEmpty();
        }

        boolean isMessage() {
            return type.indexOf('.') > 0;
        }
    }

    /**
     * One message.
     *
     * @param customJson its JSON form is its own (Time, Quantity, IntOrString, RawExtension, ...), not its fields
     * @param list a named Go slice (ExtraValue): the JSON form is the array of its one repeated field
     */
    record Message(String name, boolean customJson, boolean list, List<Field> fields) {}

    private static final Map<String, Message> MESSAGES = new HashMap<>();
    /** "GROUP/VERSION/KIND" ("v1/KIND" for the core group) to its message. */
    private static final Map<String, Message> KINDS = new HashMap<>();

    static {
        JsonNode root;
        try (InputStream in = ProtobufSchema.class.getResourceAsStream("protobuf-schema.json")) {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("messages").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean customJson = false;
            boolean list = false;
            List<Field> fields = new ArrayList<>();
            for (JsonNode item : e.getValue()) {
                if (item.isTextual()) {
                    customJson |= item.asText().equals("json");
                    list |= item.asText().equals("list");
                    continue;
                }
                Label label =
                        switch (item.get(3).asText()) {
                            case "repeated" -> Label.REPEATED;
                            case "map" -> Label.MAP;
                            default -> Label.SINGLE;
                        };
                fields.add(new Field(
                        item.get(0).asInt(),
                        item.get(1).asText(),
                        item.get(2).asText(),
                        label,
                        item.get(4).asInt() == 1,
                        item.get(5).asInt() >= 1,
                        item.get(5).asInt() == 2));
            }
            MESSAGES.put(e.getKey(), new Message(e.getKey(), customJson, list, List.copyOf(fields)));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("kinds").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            KINDS.put(e.getKey(), MESSAGES.get(e.getValue().asText()));
        }
    }

    private ProtobufSchema() {}

    /** The message of a kind ({@code apiVersion} as in objects: {@code v1}, {@code apps/v1}), or null. */
    static Message forKind(String apiVersion, String kind) {
        return KINDS.get(apiVersion + "/" + kind);
    }

    /** A message by its proto name; never null for a name the schema's fields use. */
    static Message message(String name) {
        Message m = MESSAGES.get(name);
        if (m == null) {
            throw new IllegalStateException("no message " + name + " in protobuf-schema.json");
        }
        return m;
    }

    /** Whether (group, kind) is a built-in kind with a protobuf form (custom resources have none). */
    public static boolean supports(String group, String kind) {
        String suffix = "/" + kind;
        for (String key : KINDS.keySet()) {
            if (key.endsWith(suffix)) {
                String gv = key.substring(0, key.length() - suffix.length());
                String keyGroup = gv.contains("/") ? gv.substring(0, gv.indexOf('/')) : "";
                if (keyGroup.equals(group)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean hasMagic(byte[] value) {
        if (value.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (value[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
