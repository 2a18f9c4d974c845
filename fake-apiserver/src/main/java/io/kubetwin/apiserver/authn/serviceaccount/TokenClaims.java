package io.kubetwin.apiserver.authn.serviceaccount;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The claims of a service-account JWT: the registered ones (go-jose jwt.Claims) and the private
 * {@code kubernetes.io} object (pkg/serviceaccount/claims.go). Serialised as kube-apiserver serialises
 * them (keys sorted at every level, {@code aud} always an array, {@code <>&} escaped as Go's encoding/json
 * does) and parsed as leniently as go-jose parses them ({@code aud} a string or an array).
 *
 * @param expiry seconds since the epoch, or null when absent (likewise notBefore, issuedAt)
 * @param id the {@code jti}, "" when absent
 */
record TokenClaims(
        String issuer,
        String subject,
        List<String> audience,
        Long expiry,
        Long notBefore,
        Long issuedAt,
        String id,
        Kubernetes kubernetes) {

    /**
     * The {@code kubernetes.io} claim; pod, secret and node are null when absent.
     *
     * @param warnAfter seconds since the epoch, or null
     */
    record Kubernetes(
            String namespace,
            BoundObject serviceAccount,
            BoundObject pod,
            BoundObject secret,
            BoundObject node,
            Long warnAfter) {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory GO_JSON = new JsonFactory().setCharacterEscapes(new GoEscapes());

    /** The JSON payload, byte-compatible with what kube-apiserver signs. */
    String toJson() {
        Map<String, Object> payload = new TreeMap<>();
        if (!audience.isEmpty()) {
            payload.put("aud", audience);
        }
        putIfSet(payload, "exp", expiry);
        putIfSet(payload, "iat", issuedAt);
        putIfSet(payload, "nbf", notBefore);
        if (!issuer.isEmpty()) {
            payload.put("iss", issuer);
        }
        if (!id.isEmpty()) {
            payload.put("jti", id);
        }
        if (!subject.isEmpty()) {
            payload.put("sub", subject);
        }
        Map<String, Object> k8s = new TreeMap<>();
        if (!kubernetes.namespace().isEmpty()) {
            k8s.put("namespace", kubernetes.namespace());
        }
        k8s.put("serviceaccount", ref(kubernetes.serviceAccount()));
        if (kubernetes.pod() != null) {
            k8s.put("pod", ref(kubernetes.pod()));
        }
        if (kubernetes.secret() != null) {
            k8s.put("secret", ref(kubernetes.secret()));
        }
        if (kubernetes.node() != null) {
            k8s.put("node", ref(kubernetes.node()));
        }
        putIfSet(k8s, "warnafter", kubernetes.warnAfter());
        payload.put("kubernetes.io", k8s);
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = GO_JSON.createGenerator(out)) {
            MAPPER.writeValue(generator, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Map<String, Object> ref(BoundObject object) {
        Map<String, Object> ref = new TreeMap<>();
        if (object != null && !object.name().isEmpty()) {
            ref.put("name", object.name());
        }
        if (object != null && !object.uid().isEmpty()) {
            ref.put("uid", object.uid());
        }
        return ref;
    }

    private static void putIfSet(Map<String, Object> map, String key, Long value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** Parses a verified payload; the exception message says what go-jose/encoding/json would reject. */
    static TokenClaims parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid character in token claims", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("json: cannot unmarshal token claims: not an object");
        }
        JsonNode k8s = root.path("kubernetes.io");
        Kubernetes kubernetes = new Kubernetes(
                text(k8s, "namespace"),
                k8s.path("serviceaccount").isObject() ? refOf(k8s.get("serviceaccount")) : new BoundObject("", ""),
                optionalRef(k8s, "pod"),
                optionalRef(k8s, "secret"),
                optionalRef(k8s, "node"),
                numericDate(k8s, "warnafter"));
        return new TokenClaims(
                text(root, "iss"),
                text(root, "sub"),
                audience(root.get("aud")),
                numericDate(root, "exp"),
                numericDate(root, "nbf"),
                numericDate(root, "iat"),
                text(root, "jti"),
                kubernetes);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("json: cannot unmarshal "
                    + value.getNodeType().name().toLowerCase() + " into Go value of type string (field " + field + ")");
        }
        return value.asText();
    }

    private static Long numericDate(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("go-jose/go-jose/jwt: expected number value to unmarshal NumericDate");
        }
        return (long) value.asDouble();
    }

    private static List<String> audience(JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return List.of(value.asText());
        }
        if (value.isArray()) {
            List<String> audiences = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    throw new IllegalArgumentException(
                            "go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience");
                }
                audiences.add(element.asText());
            }
            return List.copyOf(audiences);
        }
        throw new IllegalArgumentException(
                "go-jose/go-jose/jwt: expected string or array value to unmarshal to Audience");
    }

    private static BoundObject optionalRef(JsonNode k8s, String field) {
        JsonNode value = k8s.get(field);
        return value == null || value.isNull() ? null : refOf(value);
    }

    private static BoundObject refOf(JsonNode value) {
        return new BoundObject(text(value, "name"), text(value, "uid"));
    }

    /** encoding/json escapes {@code < > &} and U+2028/U+2029 inside strings. */
    private static final class GoEscapes extends CharacterEscapes {
        private final int[] ascii;

        GoEscapes() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            ascii['<'] = ESCAPE_CUSTOM;
            ascii['>'] = ESCAPE_CUSTOM;
            ascii['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case '<', '>', '&', 0x2028, 0x2029 -> new SerializedString(String.format("\\u%04x", ch));
                default -> null;
            };
        }
    }
}
