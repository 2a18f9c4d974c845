package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Request bodies in Kubernetes' protobuf encoding (k8s.io/apimachinery/pkg/runtime/serializer/protobuf): the
 * {@code k8s\0} prefix, a runtime.Unknown envelope naming apiVersion and kind, and the object's generated.proto
 * message, decoded into the JSON tree the handlers work on. Typed clients (kubectl certificate approve, for
 * one) send built-in kinds this way. Only the kinds listed in {@link #KINDS} are known; the schemas are the
 * field numbers of k8s.io/api's generated.proto files. Stateless.
 */
public final class ProtobufBodies {
    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private enum Type { STRING, BYTES, INT, INT_OMITEMPTY, BOOL, TIME, MESSAGE, STRING_MAP, BYTES_MAP, MESSAGE_MAP, RAW_JSON }

    private record Field(String name, Type type, boolean repeated, Map<Integer, Field> message) {
        static Field of(String name, Type type) {
            return new Field(name, type, false, null);
        }

        static Field list(String name, Type type) {
            return new Field(name, type, true, null);
        }

        static Field message(String name, Map<Integer, Field> schema) {
            return new Field(name, Type.MESSAGE, false, schema);
        }

        static Field messages(String name, Map<Integer, Field> schema) {
            return new Field(name, Type.MESSAGE, true, schema);
        }
    }

    private static final Map<Integer, Field> OWNER_REFERENCE = Map.of(5, Field.of("apiVersion", Type.STRING),
            1, Field.of("kind", Type.STRING), 3, Field.of("name", Type.STRING), 4, Field.of("uid", Type.STRING),
            6, Field.of("controller", Type.BOOL), 7, Field.of("blockOwnerDeletion", Type.BOOL));
    private static final Map<Integer, Field> MANAGED_FIELDS = Map.of(1, Field.of("manager", Type.STRING),
            2, Field.of("operation", Type.STRING), 3, Field.of("apiVersion", Type.STRING), 4, Field.of("time", Type.TIME),
            6, Field.of("fieldsType", Type.STRING), 7, Field.of("fieldsV1", Type.RAW_JSON), 8, Field.of("subresource", Type.STRING));
    private static final Map<Integer, Field> OBJECT_META = Map.ofEntries(Map.entry(1, Field.of("name", Type.STRING)),
            Map.entry(2, Field.of("generateName", Type.STRING)), Map.entry(3, Field.of("namespace", Type.STRING)),
            Map.entry(4, Field.of("selfLink", Type.STRING)), Map.entry(5, Field.of("uid", Type.STRING)),
            Map.entry(6, Field.of("resourceVersion", Type.STRING)), Map.entry(7, Field.of("generation", Type.INT_OMITEMPTY)),
            Map.entry(8, Field.of("creationTimestamp", Type.TIME)), Map.entry(9, Field.of("deletionTimestamp", Type.TIME)),
            Map.entry(10, Field.of("deletionGracePeriodSeconds", Type.INT)), Map.entry(11, Field.of("labels", Type.STRING_MAP)),
            Map.entry(12, Field.of("annotations", Type.STRING_MAP)), Map.entry(13, Field.messages("ownerReferences", OWNER_REFERENCE)),
            Map.entry(14, Field.list("finalizers", Type.STRING)), Map.entry(17, Field.messages("managedFields", MANAGED_FIELDS)));
    private static final Map<Integer, Field> CSR_CONDITION = Map.of(1, Field.of("type", Type.STRING),
            6, Field.of("status", Type.STRING), 2, Field.of("reason", Type.STRING), 3, Field.of("message", Type.STRING),
            4, Field.of("lastUpdateTime", Type.TIME), 5, Field.of("lastTransitionTime", Type.TIME));
    private static final Map<Integer, Field> CSR = Map.of(1, Field.message("metadata", OBJECT_META),
            2, Field.message("spec", Map.of(1, Field.of("request", Type.BYTES), 7, Field.of("signerName", Type.STRING),
                    8, Field.of("expirationSeconds", Type.INT), 5, Field.list("usages", Type.STRING),
                    2, Field.of("username", Type.STRING), 3, Field.of("uid", Type.STRING), 4, Field.list("groups", Type.STRING),
                    6, Field.of("extra", Type.MESSAGE_MAP))),
            3, Field.message("status", Map.of(1, Field.messages("conditions", CSR_CONDITION), 2, Field.of("certificate", Type.BYTES))));

    private static final Map<Integer, Field> RESOURCE_ATTRIBUTES = Map.of(1, Field.of("namespace", Type.STRING),
            2, Field.of("verb", Type.STRING), 3, Field.of("group", Type.STRING), 4, Field.of("version", Type.STRING),
            5, Field.of("resource", Type.STRING), 6, Field.of("subresource", Type.STRING), 7, Field.of("name", Type.STRING));
    private static final Map<Integer, Field> NON_RESOURCE_ATTRIBUTES = Map.of(1, Field.of("path", Type.STRING),
            2, Field.of("verb", Type.STRING));
    private static final Map<Integer, Field> SAR_SPEC = Map.of(1, Field.message("resourceAttributes", RESOURCE_ATTRIBUTES),
            2, Field.message("nonResourceAttributes", NON_RESOURCE_ATTRIBUTES), 3, Field.of("user", Type.STRING),
            4, Field.list("groups", Type.STRING), 5, Field.of("extra", Type.MESSAGE_MAP), 6, Field.of("uid", Type.STRING));
    private static final Map<Integer, Field> SAR = Map.of(1, Field.message("metadata", OBJECT_META), 2, Field.message("spec", SAR_SPEC));
    private static final Map<Integer, Field> SELF_SAR = Map.of(1, Field.message("metadata", OBJECT_META),
            2, Field.message("spec", Map.of(1, Field.message("resourceAttributes", RESOURCE_ATTRIBUTES),
                    2, Field.message("nonResourceAttributes", NON_RESOURCE_ATTRIBUTES))));
    private static final Map<Integer, Field> SELF_RULES = Map.of(1, Field.message("metadata", OBJECT_META),
            2, Field.message("spec", Map.of(1, Field.of("namespace", Type.STRING))));
    private static final Map<Integer, Field> TOKEN_REVIEW = Map.of(1, Field.message("metadata", OBJECT_META),
            2, Field.message("spec", Map.of(1, Field.of("token", Type.STRING), 2, Field.list("audiences", Type.STRING))));
    private static final Map<Integer, Field> TOKEN_REQUEST = Map.of(1, Field.message("metadata", OBJECT_META),
            2, Field.message("spec", Map.of(1, Field.list("audiences", Type.STRING), 4, Field.of("expirationSeconds", Type.INT),
                    3, Field.message("boundObjectRef", Map.of(1, Field.of("kind", Type.STRING), 2, Field.of("apiVersion", Type.STRING),
                            3, Field.of("name", Type.STRING), 4, Field.of("uid", Type.STRING))))));

    private static final Map<Integer, Field> POLICY_RULE = Map.of(1, Field.list("verbs", Type.STRING),
            2, Field.list("apiGroups", Type.STRING), 3, Field.list("resources", Type.STRING),
            4, Field.list("resourceNames", Type.STRING), 5, Field.list("nonResourceURLs", Type.STRING));
    private static final Map<Integer, Field> LABEL_SELECTOR = Map.of(1, Field.of("matchLabels", Type.STRING_MAP),
            2, Field.messages("matchExpressions", Map.of(1, Field.of("key", Type.STRING), 2, Field.of("operator", Type.STRING),
                    3, Field.list("values", Type.STRING))));
    private static final Map<Integer, Field> BINDING = Map.of(1, Field.message("metadata", OBJECT_META),
            2, Field.messages("subjects", Map.of(1, Field.of("kind", Type.STRING), 2, Field.of("apiGroup", Type.STRING),
                    3, Field.of("name", Type.STRING), 4, Field.of("namespace", Type.STRING))),
            3, Field.message("roleRef", Map.of(1, Field.of("apiGroup", Type.STRING), 2, Field.of("kind", Type.STRING),
                    3, Field.of("name", Type.STRING))));
    private static final Map<Integer, Field> OBJECT_REFERENCE = Map.of(1, Field.of("kind", Type.STRING),
            2, Field.of("namespace", Type.STRING), 3, Field.of("name", Type.STRING), 4, Field.of("uid", Type.STRING),
            5, Field.of("apiVersion", Type.STRING), 6, Field.of("resourceVersion", Type.STRING), 7, Field.of("fieldPath", Type.STRING));

    /**
     * The message schema per "apiVersion/kind": the kinds kubectl's typed clients send (create namespace,
     * configmap, secret, serviceaccount, role, rolebinding, clusterrole, clusterrolebinding; certificate
     * approve/deny; auth whoami/can-i; create token). Request fields only: status sections are skipped.
     */
    private static final Map<String, Map<Integer, Field>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Map.of(1, Field.message("metadata", OBJECT_META),
                    2, Field.message("spec", Map.of(1, Field.list("finalizers", Type.STRING))))),
            Map.entry("v1/ConfigMap", Map.of(1, Field.message("metadata", OBJECT_META), 4, Field.of("immutable", Type.BOOL),
                    2, Field.of("data", Type.STRING_MAP), 3, Field.of("binaryData", Type.BYTES_MAP))),
            Map.entry("v1/Secret", Map.of(1, Field.message("metadata", OBJECT_META), 5, Field.of("immutable", Type.BOOL),
                    2, Field.of("data", Type.BYTES_MAP), 4, Field.of("stringData", Type.STRING_MAP), 3, Field.of("type", Type.STRING))),
            Map.entry("v1/ServiceAccount", Map.of(1, Field.message("metadata", OBJECT_META),
                    2, Field.messages("secrets", OBJECT_REFERENCE),
                    3, Field.messages("imagePullSecrets", Map.of(1, Field.of("name", Type.STRING))),
                    4, Field.of("automountServiceAccountToken", Type.BOOL))),
            Map.entry("rbac.authorization.k8s.io/v1/Role", Map.of(1, Field.message("metadata", OBJECT_META),
                    2, Field.messages("rules", POLICY_RULE))),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRole", Map.of(1, Field.message("metadata", OBJECT_META),
                    2, Field.messages("rules", POLICY_RULE),
                    3, Field.message("aggregationRule", Map.of(1, Field.messages("clusterRoleSelectors", LABEL_SELECTOR))))),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", BINDING),
            Map.entry("rbac.authorization.k8s.io/v1/ClusterRoleBinding", BINDING),
            Map.entry("certificates.k8s.io/v1/CertificateSigningRequest", CSR),
            Map.entry("authentication.k8s.io/v1/SelfSubjectReview", Map.of(1, Field.message("metadata", OBJECT_META))),
            Map.entry("authentication.k8s.io/v1/TokenReview", TOKEN_REVIEW),
            Map.entry("authentication.k8s.io/v1/TokenRequest", TOKEN_REQUEST),
            Map.entry("authorization.k8s.io/v1/SubjectAccessReview", SAR),
            Map.entry("authorization.k8s.io/v1/LocalSubjectAccessReview", SAR),
            Map.entry("authorization.k8s.io/v1/SelfSubjectAccessReview", SELF_SAR),
            Map.entry("authorization.k8s.io/v1/SelfSubjectRulesReview", SELF_RULES));

    /** A body that is not a decodable protobuf object of a known kind. */
    public static final class Undecodable extends Exception {
        Undecodable(String message) {
            super(message);
        }
    }

    private ProtobufBodies() {}

    public static boolean isProtobuf(String mediaType) {
        return "application/vnd.kubernetes.protobuf".equals(mediaType);
    }

    /** The object as JSON, with apiVersion and kind from the envelope; fails for unknown kinds and malformed data. */
    public static ObjectNode decode(byte[] body) throws Undecodable {
        if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
            throw new Undecodable("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }
        Reader envelope = new Reader(body, MAGIC.length, body.length);
        String apiVersion = "";
        String kind = "";
        byte[] raw = new byte[0];
        while (envelope.more()) {
            int tag = (int) envelope.varint();
            switch (tag >>> 3) {
                case 1 -> {
                    Reader typeMeta = envelope.sub();
                    while (typeMeta.more()) {
                        int t = (int) typeMeta.varint();
                        if ((t >>> 3) == 1) {
                            apiVersion = typeMeta.string();
                        } else if ((t >>> 3) == 2) {
                            kind = typeMeta.string();
                        } else {
                            typeMeta.skip(t & 7);
                        }
                    }
                }
                case 2 -> raw = envelope.bytes();
                default -> envelope.skip(tag & 7);
            }
        }
        Map<Integer, Field> schema = KINDS.get(apiVersion + "/" + kind);
        if (schema == null) {
            throw new Undecodable("no protobuf schema for " + apiVersion + ", Kind=" + kind);
        }
        ObjectNode object = JSON.objectNode().put("kind", kind).put("apiVersion", apiVersion);
        object.setAll(message(new Reader(raw, 0, raw.length), schema));
        return object;
    }

    private static ObjectNode message(Reader in, Map<Integer, Field> schema) throws Undecodable {
        ObjectNode out = JSON.objectNode();
        while (in.more()) {
            int tag = (int) in.varint();
            Field f = schema.get(tag >>> 3);
            if (f == null) {
                in.skip(tag & 7);
                continue;
            }
            if (f.type() == Type.STRING && !f.repeated()) {
                String text = in.string();
                if (!text.isEmpty()) {
                    out.put(f.name(), text);
                }
                continue;
            }
            if (f.type() == Type.TIME) {
                JsonNode t = time(in.sub());
                if (t != null) {
                    out.set(f.name(), t);
                }
                continue;
            }
            if (f.type() == Type.INT_OMITEMPTY) {
                long n = in.varint();
                if (n != 0) {
                    out.put(f.name(), n);
                }
                continue;
            }
            JsonNode value = switch (f.type()) {
                case STRING -> JSON.textNode(in.string());
                case BYTES -> JSON.textNode(Base64.getEncoder().encodeToString(in.bytes()));
                case INT, INT_OMITEMPTY -> JSON.numberNode(in.varint());
                case BOOL -> JSON.booleanNode(in.varint() != 0);
                case TIME -> time(in.sub());
                case MESSAGE -> message(in.sub(), f.message());
                case RAW_JSON -> rawJson(in.sub());
                case STRING_MAP, BYTES_MAP, MESSAGE_MAP -> null;
            };
            if (f.type() == Type.STRING_MAP || f.type() == Type.BYTES_MAP || f.type() == Type.MESSAGE_MAP) {
                ObjectNode map = out.get(f.name()) instanceof ObjectNode m ? m : out.putObject(f.name());
                mapEntry(in.sub(), f.type(), map);
            } else if (f.repeated()) {
                (out.get(f.name()) instanceof ArrayNode a ? a : out.putArray(f.name())).add(value);
            } else {
                out.set(f.name(), value);
            }
        }
        return out;
    }

    private static void mapEntry(Reader in, Type type, ObjectNode map) throws Undecodable {
        String key = "";
        JsonNode value = type == Type.STRING_MAP ? JSON.textNode("") : JSON.arrayNode();
        while (in.more()) {
            int tag = (int) in.varint();
            if ((tag >>> 3) == 1) {
                key = in.string();
            } else if ((tag >>> 3) == 2) {
                if (type == Type.STRING_MAP) {
                    value = JSON.textNode(in.string());
                } else if (type == Type.BYTES_MAP) {
                    value = JSON.textNode(Base64.getEncoder().encodeToString(in.bytes()));
                } else {
                    // ExtraValue { repeated string items = 1; }
                    ArrayNode items = JSON.arrayNode();
                    Reader r = in.sub();
                    while (r.more()) {
                        int t = (int) r.varint();
                        if ((t >>> 3) == 1) {
                            items.add(r.string());
                        } else {
                            r.skip(t & 7);
                        }
                    }
                    value = items;
                }
            } else {
                in.skip(tag & 7);
            }
        }
        map.set(key, value);
    }

    /** metav1.Time at second precision; null for the zero time, which JSON leaves out. */
    private static JsonNode time(Reader in) throws Undecodable {
        long seconds = 0;
        while (in.more()) {
            int tag = (int) in.varint();
            if ((tag >>> 3) == 1) {
                seconds = in.varint();
            } else {
                in.skip(tag & 7);
            }
        }
        // Go's zero time is year 1 (-62135596800 s); an empty message decodes to it
        return seconds == 0 || seconds == -62135596800L ? null : JSON.textNode(Instant.ofEpochSecond(seconds).toString());
    }

    private static JsonNode rawJson(Reader in) throws Undecodable {
        // FieldsV1 { optional bytes Raw = 1; }
        while (in.more()) {
            int tag = (int) in.varint();
            if ((tag >>> 3) == 1) {
                try {
                    return MAPPER.readTree(in.bytes());
                } catch (IOException e) {
                    throw new Undecodable("invalid FieldsV1: " + e.getMessage());
                }
            }
            in.skip(tag & 7);
        }
        return JSON.objectNode();
    }

    /** The protobuf wire format over a byte range. */
    private static final class Reader {
        private final byte[] data;
        private int pos;
        private final int end;

        Reader(byte[] data, int from, int end) {
            this.data = data;
            this.pos = from;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() throws Undecodable {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new Undecodable("unexpected EOF");
                }
                byte b = data[pos++];
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new Undecodable("proto: integer overflow");
        }

        byte[] bytes() throws Undecodable {
            int n = length();
            byte[] out = Arrays.copyOfRange(data, pos, pos + n);
            pos += n;
            return out;
        }

        String string() throws Undecodable {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Reader sub() throws Undecodable {
            int n = length();
            Reader r = new Reader(data, pos, pos + n);
            pos += n;
            return r;
        }

        private int length() throws Undecodable {
            long n = varint();
            if (n < 0 || pos + n > end) {
                throw new Undecodable("unexpected EOF");
            }
            return (int) n;
        }

        void skip(int wireType) throws Undecodable {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> {
                    int n = length(); // read before adding: `pos += length()` would add to the old position
                    pos += n;
                }
                case 5 -> pos += 4;
                default -> throw new Undecodable("proto: illegal wireType " + wireType);
            }
            if (pos > end) {
                throw new Undecodable("unexpected EOF");
            }
        }
    }

}
