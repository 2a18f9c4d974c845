package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.api.YamlTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Decodes a create/update body (JSON or YAML) into a JSON tree of the expected Kind, failing with the
 * 400s kube-apiserver sends: syntax errors as {@code the object provided is unrecognized (must be of
 * type Pod): couldn't get version/kind; json parse error: ... (summary)} and type mismatches as
 * {@code ConfigMap in version "v1" cannot be handled as a Pod: ...}
 * (k8s.io/apiserver/pkg/endpoints/handlers/rest.go transformDecodeError; runtime/serializer/json).
 * Thread-safe.
 */
public final class BodyDecoder {
    // Go's decoder nests 10,000 levels; Jackson's default stops at 1,000 (GoJsonSyntax enforces Go's limit first)
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(GoJsonSyntax.MAX_DEPTH)
                    .build())
            .build());
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The served media types for bodies of create and update. */
    public static final String SUPPORTED_MEDIA_TYPES =
            "application/json, application/yaml, application/vnd.kubernetes.protobuf";

    private BodyDecoder() {}

    /** The Kind the handler expects, and whether another (group, version, kind) is known at all. */
    public record Expected(
            String group, String version, String kind, BiPredicate<String, String> knownKind, boolean typed) {
        /** A kind decoded into a Go struct (every built-in kind). */
        public Expected(String group, String version, String kind, BiPredicate<String, String> knownKind) {
            this(group, version, kind, knownKind, true);
        }

        String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    /** Whether the content type (parameters ignored) is one of the YAML types. */
    public static boolean isYaml(String contentType) {
        String t = mediaType(contentType);
        return t.equals("application/yaml") || t.equals("application/x-yaml") || t.equals("text/yaml");
    }

    /** The media type without parameters, lower case; "" when absent. */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
    }

    /** Rejects bodies in media types the server does not decode (415). */
    public static void checkMediaType(String contentType) {
        String t = mediaType(contentType);
        // an absent or empty header is JSON; one that names no media type (";;;") is not
        boolean absent = contentType == null || contentType.isBlank();
        if (!(absent
                || t.equals("application/json")
                || t.equals("*/*")
                || isYaml(contentType)
                || t.equals(ProtobufDecoder.MEDIA_TYPE))) {
            throw new StatusException(Status.failure(
                    415,
                    "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: "
                            + SUPPORTED_MEDIA_TYPES,
                    null));
        }
    }

    /** Parses a JSON or YAML document into a tree, or answers the decode error text (Go's wording for JSON). */
    public static ParseResult parse(byte[] body, boolean yaml) {
        if (yaml && !startsLikeJson(body)) {
            // as sigs.k8s.io/yaml: YAML 1.1 scalars, aliases expanded, go-yaml's excessive-aliasing guard
            try {
                YamlTree.Value value = YamlTree.parseYaml(new String(body, StandardCharsets.UTF_8));
                return new ParseResult(YamlTree.toJsonNode(value), null, true, YamlTree.duplicateKeys(value));
            } catch (YamlTree.SyntaxError e) {
                return new ParseResult(null, e.getMessage(), true);
            }
        }
        if (yaml) {
            try {
                JsonNode node = YAML.readTree(body);
                return new ParseResult(node == null ? JSON.nullNode() : node, null, true, yamlDuplicates(body));
            } catch (JsonProcessingException e) {
                return new ParseResult(null, yamlMessage(e), true);
            } catch (IOException e) {
                return new ParseResult(null, "yaml: " + e.getMessage(), true);
            }
        }
        Optional<String> syntax = GoJsonSyntax.check(body);
        if (syntax.isPresent()) {
            return new ParseResult(null, syntax.get(), false);
        }
        try {
            return new ParseResult(JSON.readTree(body), null, false);
        } catch (IOException e) {
            return new ParseResult(null, e.getMessage(), false);
        }
    }

    /** The duplicate keys go-yaml's strict decoding finds in a body (none when SnakeYAML cannot compose it). */
    public static List<String> yamlDuplicates(byte[] body) {
        try {
            return YamlTree.duplicateKeys(YamlTree.parseYaml(new String(body, StandardCharsets.UTF_8)));
        } catch (YamlTree.SyntaxError e) {
            return List.of();
        }
    }

    /** k8s.io/apimachinery/pkg/util/yaml hasJSONPrefix: a YAML body whose first non-space byte is '{' is JSON. */
    private static boolean startsLikeJson(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    /**
     * A parsed document or its error.
     *
     * @param yamlDuplicates a YAML document's duplicate keys ({@code line 5: key "name" already set in map})
     */
    public record ParseResult(JsonNode node, String error, boolean yaml, List<String> yamlDuplicates) {
        public ParseResult(JsonNode node, String error, boolean yaml) {
            this(node, error, yaml, List.of());
        }
    }

    /** Decodes a body as an object of the expected Kind, filling kind and apiVersion when absent. */
    public static ObjectNode decode(byte[] body, String contentType, Expected expected) {
        return decode(body, contentType, expected, null).object();
    }

    /**
     * Decodes a body as an object of the expected Kind and, when {@code type} is given (built-in kinds), through its
     * Go type: the result carries the first type error and the strict-decoding errors for the caller to answer
     * after the version/kind checks, which come first (as the serializer reads the version and kind first). A JSON
     * body is walked once, by the {@link TypedDecoder}.
     */
    public static TypedDecoder.Result decode(
            byte[] body, String contentType, Expected expected, DecodeType.Struct type) {
        if (mediaType(contentType).equals(ProtobufDecoder.MEDIA_TYPE)) {
            return new TypedDecoder.Result(decodeProtobuf(body, expected), null, List.of());
        }
        boolean yaml = isYaml(contentType);
        if (type != null && !yaml && GoJsonSyntax.check(body).isEmpty()) {
            String typeMeta = TypeMetaFields.error(body);
            if (typeMeta != null) {
                throw unrecognized(expected, typeMeta, body);
            }
            TypedDecoder.Result typed;
            try (JsonParser parser = JSON.createParser(body)) {
                typed = TypedDecoder.decode(parser, type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (typed.object() != null) {
                checkKind(typed.object(), expected, body);
                return typed;
            }
        }
        ParseResult parsed = parse(body, yaml);
        if (parsed.error() != null) {
            String detail = yaml ? parsed.error() : "couldn't get version/kind; json parse error: " + parsed.error();
            throw unrecognized(expected, detail, body);
        }
        JsonNode node = parsed.node();
        if (!node.isObject()) {
            String jsonType = node.isArray()
                    ? "array"
                    : node.isTextual() ? "string" : node.isNumber() ? "number" : node.isBoolean() ? "bool" : "null";
            if (node.isNull() && expected.typed()) {
                // json.Unmarshal of null into the typed struct leaves it empty (an empty YAML document too)
                return new TypedDecoder.Result(
                        checkKind(JsonNodeFactory.instance.objectNode(), expected, body), null, List.of());
            }
            if (node.isNull()) {
                throw unrecognized(expected, "Object 'Kind' is missing in 'null'", body);
            }
            throw unrecognized(
                    expected,
                    "couldn't get version/kind; json parse error: json: cannot unmarshal " + jsonType
                            + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
                            + "Kind string \"json:\\\"kind,omitempty\\\"\" }",
                    body);
        }
        String typeMeta = TypeMetaFields.error(node);
        if (typeMeta != null) {
            throw unrecognized(expected, typeMeta, body);
        }
        ObjectNode object = checkKind((ObjectNode) node, expected, body);
        if (type == null) {
            return new TypedDecoder.Result(object, null, List.of());
        }
        TypedDecoder.Result typed = TypedDecoder.decode(object, type);
        typed.object().put("apiVersion", expected.apiVersion());
        typed.object().put("kind", expected.kind());
        return new TypedDecoder.Result(
                typed.object(), typed.typeError(), typed.strictErrors(), parsed.yamlDuplicates());
    }

    /** The apiVersion/kind checks of a decoded object against the Kind the endpoint takes. */
    private static ObjectNode checkKind(ObjectNode object, Expected expected, byte[] body) {
        String apiVersion = text(object, "apiVersion");
        String kind = text(object, "kind");
        String group = expected.group();
        String version = expected.version();
        if (!apiVersion.isEmpty()) {
            String[] gv = apiVersion.split("/", -1);
            if (gv.length > 2) {
                throw Statuses.badRequest("the object provided is unrecognized (must be of type " + expected.kind()
                        + "): unexpected GroupVersion string: " + apiVersion + " (" + summarize(body) + ")");
            }
            group = gv.length == 2 ? gv[0] : "";
            version = gv.length == 2 ? gv[1] : gv[0];
        }
        if (kind.isEmpty()) {
            kind = expected.kind();
        }
        boolean sameGroupVersion = group.equals(expected.group()) && version.equals(expected.version());
        if (!sameGroupVersion || !kind.equals(expected.kind())) {
            String gv = group.isEmpty() ? version : group + "/" + version;
            String why = kindMismatch(
                    group,
                    version,
                    kind,
                    expected.group(),
                    expected.kind(),
                    expected.knownKind().test(gv, kind));
            throw Statuses.badRequest(
                    kind + " in version \"" + version + "\" cannot be handled as a " + expected.kind() + ": " + why);
        }
        object.put("apiVersion", expected.apiVersion());
        object.put("kind", expected.kind());
        return object;
    }

    /**
     * Why the codec cannot decode a body of (group, version, kind) into the expected kind's internal type: the
     * conversion error for another kind the scheme knows ({@code converting (v1.Secret) to (core.ConfigMap): unknown
     * conversion}), the scheme's refusal otherwise. Shared by create/update bodies and patched objects (patch.go).
     */
    public static String kindMismatch(
            String group, String version, String kind, String expectedGroup, String expectedKind, boolean known) {
        if (known && !kind.equals(expectedKind)) {
            return "converting (" + version + "." + kind + ") to (" + internalPackage(expectedGroup) + "."
                    + expectedKind + "): unknown conversion";
        }
        String gv = group.isEmpty() ? version : group + "/" + version;
        return "no kind \"" + kind + "\" is registered for version \"" + gv
                + "\" in scheme \"pkg/runtime/scheme.go:110\"";
    }

    /**
     * The TypeMeta error of a decoded object (a kind or apiVersion that is not a string), as the serializer's
     * meta.Interpret words it; null when both read.
     */
    public static String typeMetaError(JsonNode object) {
        return TypeMetaFields.error(object);
    }

    /**
     * Protobuf bodies of the kinds {@link ProtobufDecoder} knows; other kinds (custom resources) have no
     * protobuf form, as upstream, and answer 415.
     */
    private static ObjectNode decodeProtobuf(byte[] body, Expected expected) {
        if (!ProtobufDecoder.supports(expected.group(), expected.kind())) {
            throw new StatusException(Status.failure(
                    415,
                    "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/cbor",
                    null));
        }
        ProtobufDecoder.Decoded decoded;
        try {
            decoded = ProtobufDecoder.decode(body, expected.apiVersion(), expected.kind());
        } catch (IllegalArgumentException e) {
            throw unrecognized(expected, e.getMessage(), body);
        }
        String[] gv = decoded.apiVersion().split("/", -1);
        String group = gv.length == 2 ? gv[0] : "";
        String version = gv.length == 2 ? gv[1] : gv[0];
        String kind = decoded.kind().isEmpty() ? expected.kind() : decoded.kind();
        if (!group.equals(expected.group())
                || !version.equals(expected.version())
                || !kind.equals(expected.kind())
                || decoded.object() == null) {
            String why = "no kind \"" + kind + "\" is registered for version \"" + decoded.apiVersion()
                    + "\" in scheme \"pkg/runtime/scheme.go:110\"";
            throw Statuses.badRequest(
                    kind + " in version \"" + version + "\" cannot be handled as a " + expected.kind() + ": " + why);
        }
        ObjectNode object = decoded.object();
        object.put("apiVersion", expected.apiVersion());
        object.put("kind", expected.kind());
        return object;
    }

    /** The decode failure of a well-formed body whose content does not fit the Kind (e.g. bad base64). */
    public static StatusException cannotHandle(String kind, String version, String why) {
        return Statuses.badRequest(
                kind + " in version \"" + version + "\" cannot be handled as a " + kind + ": " + why);
    }

    private static StatusException unrecognized(Expected expected, String detail, byte[] body) {
        return Statuses.badRequest("the object provided is unrecognized (must be of type " + expected.kind() + "): "
                + detail + " (" + summarize(body) + ")");
    }

    /** rest.go summarizeData: the first 30 bytes, as text for JSON objects and hex otherwise. */
    static String summarize(byte[] data) {
        int max = 30;
        if (data.length == 0) {
            return "<empty>";
        }
        boolean more = data.length > max;
        int n = Math.min(data.length, max);
        String head = data[0] == '{'
                ? new String(data, 0, n, StandardCharsets.UTF_8)
                : HexFormat.of().formatHex(data, 0, n);
        return more ? head + " ..." : head;
    }

    /** The name of the internal API package of a group, as conversion errors print it. */
    static String internalPackage(String group) {
        if (group.isEmpty() || group.equals("events.k8s.io")) {
            return "core";
        }
        int dot = group.indexOf('.');
        return dot < 0 ? group : group.substring(0, dot);
    }

    /** go-yaml's "yaml: line N: problem" shape, with SnakeYAML's problem text (wording may differ). */
    private static String yamlMessage(JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        String problem = e.getOriginalMessage();
        int nl = problem.indexOf('\n');
        if (nl > 0) {
            problem = problem.substring(0, nl);
        }
        return "yaml: line " + Math.max(line, 1) + ": " + problem;
    }

    private static String text(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
