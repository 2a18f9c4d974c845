package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Admissionregistration;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Certificates;
import io.kubernetes.client.proto.V1Coordination;
import io.kubernetes.client.proto.V1Discovery;
import io.kubernetes.client.proto.V1Events;
import io.kubernetes.client.proto.V1Flowcontrol;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Node;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Resource;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import io.kubernetes.client.proto.V2Autoscaling;
import io.kubetwin.pki.GoDuration;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes request bodies in Kubernetes' protobuf encoding ({@code application/vnd.kubernetes.protobuf}),
 * which kubectl's typed clients send for built-in kinds: the 4-byte magic {@code k8s\0}, a
 * runtime.Unknown envelope naming apiVersion and kind, and the object's generated message
 * (k8s.io/apimachinery/pkg/runtime/serializer/protobuf/protobuf.go). The object is turned into the JSON
 * tree the rest of the registry works on, with the wire conventions of the JSON encoding: Time as
 * RFC 3339, Quantity and IntOrString flattened, bytes in base64, list wrappers (ExtraValue) as arrays.
 * Message definitions come from the Kubernetes project's published Java classes (client-java-proto).
 *
 * <p>Stateless and thread-safe.
 */
public final class ProtobufDecoder {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final Map<String, String> GROUP_VERSION_BY_PACKAGE = new HashMap<>();
    private static final Map<String, Descriptor> TYPES = new HashMap<>();
    /**
     * Fields whose protobuf name (go-to-protobuf's {@code name=} struct tag) is not their JSON name; in the
     * registered packages only BoundObjectReference.UID ({@code uID}, JSON {@code uid}).
     */
    private static final Map<String, String> JSON_NAMES =
            Map.of("k8s.io.api.authentication.v1.BoundObjectReference.uID", "uid");

    static {
        register(V1.getDescriptor());
        register(V1Rbac.getDescriptor());
        register(V1Authentication.getDescriptor());
        register(V1Authorization.getDescriptor());
        register(V1Certificates.getDescriptor());
        register(V1Events.getDescriptor());
        register(V1Apps.getDescriptor());
        register(V1Batch.getDescriptor());
        register(V1Autoscaling.getDescriptor());
        register(V2Autoscaling.getDescriptor());
        register(V1Networking.getDescriptor());
        register(V1Policy.getDescriptor());
        register(V1Coordination.getDescriptor());
        register(V1Discovery.getDescriptor());
        register(V1Storage.getDescriptor());
        register(V1Scheduling.getDescriptor());
        register(V1Node.getDescriptor());
        register(V1Flowcontrol.getDescriptor());
        register(V1Admissionregistration.getDescriptor());
        register(V1Resource.getDescriptor());
        register(Meta.getDescriptor());
    }

    private ProtobufDecoder() {}

    /** A decoded envelope: the apiVersion and kind it names and the object (null when the kind has no protobuf form). */
    public record Decoded(String apiVersion, String kind, ObjectNode object) {}

    /** Whether (group, kind) is a built-in kind with a protobuf form (custom resources have none). */
    public static boolean supports(String group, String kind) {
        for (String key : TYPES.keySet()) {
            int last = key.lastIndexOf('/');
            String gv = key.substring(0, last);
            String keyGroup = gv.contains("/") ? gv.substring(0, gv.indexOf('/')) : "";
            if (keyGroup.equals(group) && key.substring(last + 1).equals(kind)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The body as a JSON object with {@code apiVersion} and {@code kind} from the envelope.
     *
     * @throws IllegalArgumentException with a decode error text when the body is not a Kubernetes protobuf object
     */
    public static Decoded decode(byte[] body) {
        if (body.length < MAGIC.length
                || body[0] != MAGIC[0]
                || body[1] != MAGIC[1]
                || body[2] != MAGIC[2]
                || body[3] != MAGIC[3]) {
            throw new IllegalArgumentException(
                    "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }
        Runtime.Unknown envelope;
        try {
            envelope = Runtime.Unknown.parseFrom(ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
        } catch (InvalidProtocolBufferException e) {
            throw decodeError(e);
        }
        String apiVersion = envelope.getTypeMeta().getApiVersion();
        String kind = envelope.getTypeMeta().getKind();
        Descriptor type = TYPES.get(apiVersion + "/" + kind);
        if (type == null) {
            return new Decoded(apiVersion, kind, null);
        }
        DynamicMessage message;
        try {
            message = DynamicMessage.parseFrom(type, envelope.getRaw());
        } catch (InvalidProtocolBufferException e) {
            throw decodeError(e);
        }
        ObjectNode object = JSON.objectNode();
        object.put("kind", kind);
        object.put("apiVersion", apiVersion);
        object.setAll(toJson(message));
        return new Decoded(apiVersion, kind, object);
    }

    /** Go's wording: a message cut short is "unexpected EOF"; other malformed input is a proto error. */
    private static IllegalArgumentException decodeError(InvalidProtocolBufferException e) {
        String message = e.getMessage() != null && e.getMessage().contains("ended unexpectedly")
                ? "unexpected EOF"
                : "proto: " + e.getMessage();
        return new IllegalArgumentException(message, e);
    }

    /** The group/version a generated message belongs to, for tests. */
    static Optional<String> groupVersionOf(Descriptor descriptor) {
        return Optional.ofNullable(
                GROUP_VERSION_BY_PACKAGE.get(descriptor.getFile().getPackage()));
    }

    private static void register(FileDescriptor file) {
        String gv = groupVersion(file.getPackage());
        GROUP_VERSION_BY_PACKAGE.put(file.getPackage(), gv);
        for (Descriptor d : file.getMessageTypes()) {
            TYPES.putIfAbsent(gv + "/" + d.getName(), d);
        }
    }

    /** k8s.io.api.rbac.v1 ⇒ rbac.authorization.k8s.io/v1 (the package names of k8s.io/api and their API groups). */
    private static String groupVersion(String protoPackage) {
        String[] parts = protoPackage.split("\\.");
        String version = parts[parts.length - 1];
        String name = parts[parts.length - 2];
        if (protoPackage.equals("k8s.io.apimachinery.pkg.apis.meta.v1")) {
            return "meta.k8s.io/" + version;
        }
        String group =
                switch (name) {
                    case "core" -> "";
                    case "rbac" -> "rbac.authorization.k8s.io";
                    case "authentication" -> "authentication.k8s.io";
                    case "authorization" -> "authorization.k8s.io";
                    case "certificates" -> "certificates.k8s.io";
                    case "events" -> "events.k8s.io";
                    case "apps", "batch", "autoscaling", "policy" -> name;
                    case "flowcontrol" -> "flowcontrol.apiserver.k8s.io";
                    default -> name + ".k8s.io";
                };
        return group.isEmpty() ? version : group + "/" + version;
    }

    /**
     * Go's generated marshallers write every non-pointer field, zero or not; decoded into Go structs and
     * written as JSON, zero values of omitempty fields disappear. Dropping empty strings, zero numbers,
     * false and empty collections reproduces that for the fields clients send.
     */
    private static ObjectNode toJson(Message message) {
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor field = e.getKey();
            JsonNode value = fieldValue(field, e.getValue());
            if (!isZero(value)) {
                out.set(JSON_NAMES.getOrDefault(field.getFullName(), field.getName()), value);
            }
        }
        return out;
    }

    private static boolean isZero(JsonNode value) {
        return value.isNull()
                || value.isTextual() && value.asText().isEmpty()
                || value.isNumber() && value.asDouble() == 0
                || value.isBoolean() && !value.asBoolean()
                || value.isArray() && value.isEmpty();
    }

    private static JsonNode fieldValue(FieldDescriptor field, Object value) {
        if (field.isMapField()) {
            ObjectNode map = JSON.objectNode();
            if (((List<?>) value).isEmpty()) {
                return JSON.arrayNode();
            }
            for (Object entry : (List<?>) value) {
                Message m = (Message) entry;
                FieldDescriptor keyField = m.getDescriptorForType().findFieldByName("key");
                FieldDescriptor valueField = m.getDescriptorForType().findFieldByName("value");
                map.set(String.valueOf(m.getField(keyField)), single(valueField, m.getField(valueField)));
            }
            return map;
        }
        if (field.isRepeated()) {
            ArrayNode array = JSON.arrayNode();
            for (Object item : (List<?>) value) {
                array.add(single(field, item));
            }
            return array;
        }
        return single(field, value);
    }

    private static JsonNode single(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case INT -> JSON.numberNode((Integer) value);
            case LONG -> JSON.numberNode((Long) value);
            case FLOAT -> JSON.numberNode((Float) value);
            case DOUBLE -> JSON.numberNode((Double) value);
            case BOOLEAN -> JSON.booleanNode((Boolean) value);
            case STRING -> JSON.textNode((String) value);
            case BYTE_STRING -> JSON.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case ENUM -> JSON.textNode(value.toString());
            case MESSAGE -> message((Message) value);
        };
    }

    private static JsonNode message(Message m) {
        String name = m.getDescriptorForType().getFullName();
        if (name.endsWith("meta.v1.Time") || name.endsWith("meta.v1.MicroTime")) {
            if (longField(m, "seconds") == 0 && longField(m, "nanos") == 0) {
                return JSON.nullNode(); // a zero metav1.Time is written as null
            }
        }
        switch (name) {
            case "k8s.io.apimachinery.pkg.apis.meta.v1.Time":
                return JSON.textNode(SECONDS.format(instant(m)));
            case "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime":
                return JSON.textNode(MICROS.format(instant(m)));
            case "k8s.io.apimachinery.pkg.apis.meta.v1.Duration":
                return JSON.textNode(GoDuration.format(Duration.ofNanos(longField(m, "duration"))));
            case "k8s.io.apimachinery.pkg.api.resource.Quantity":
                return JSON.textNode(stringField(m, "string"));
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
                return longField(m, "type") == 1
                        ? JSON.textNode(stringField(m, "strVal"))
                        : JSON.numberNode((int) longField(m, "intVal"));
            case "k8s.io.apimachinery.pkg.runtime.RawExtension":
            case "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1":
                return raw(m);
            default:
                if (name.endsWith(".ExtraValue") || name.equals("k8s.io.apimachinery.pkg.apis.meta.v1.Verbs")) {
                    FieldDescriptor items = m.getDescriptorForType().findFieldByName("items");
                    return fieldValue(items, m.getField(items));
                }
                return toJson(m);
        }
    }

    private static Instant instant(Message m) {
        return Instant.ofEpochSecond(longField(m, "seconds"), longField(m, "nanos"));
    }

    private static JsonNode raw(Message m) {
        FieldDescriptor field = m.getDescriptorForType().getFields().get(0);
        ByteString bytes = (ByteString) m.getField(field);
        if (bytes.isEmpty()) {
            return JSON.nullNode();
        }
        try {
            return MAPPER.readTree(bytes.toByteArray());
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid embedded JSON: " + e.getMessage(), e);
        }
    }

    private static long longField(Message m, String name) {
        Object v = m.getField(m.getDescriptorForType().findFieldByName(name));
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static String stringField(Message m, String name) {
        return String.valueOf(m.getField(m.getDescriptorForType().findFieldByName(name)));
    }
}
