package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.registry.apply.OpenApiSchemas;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link DecodeType}s of the built-in kinds, from the recorded OpenAPI v3 documents server-side apply reads
 * ({@link OpenApiSchemas}, shared, so each document is parsed once per server) and the recorded Go type names
 * ({@link GoTypeNames}). Types are built once per definition and kept; a request only walks them. One per server;
 * thread-safe.
 */
public final class TypedSchemas {
    private static final String REF_PREFIX = "#/components/schemas/";
    private final OpenApiSchemas openApi;
    private volatile GoTypeNames goNames;
    private final Map<String, DecodeType.Struct> structs = new ConcurrentHashMap<>();

    public TypedSchemas(OpenApiSchemas openApi) {
        this.openApi = openApi;
    }

    /** The root struct of a built-in kind, empty when no recorded document declares it (custom resources). */
    public Optional<DecodeType.Struct> kind(String group, String version, String kind) {
        return openApi.kindDefinition(group, version, kind).map(def -> struct(group, version, def, List.of()));
    }

    /** metav1.ObjectMeta, which a custom resource's metadata is decoded into on its own. */
    public DecodeType.Struct objectMeta() {
        return struct("", "v1", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", List.of());
    }

    private GoTypeNames goNames() {
        GoTypeNames names = goNames;
        if (names == null) {
            names = GoTypeNames.load();
            goNames = names;
        }
        return names;
    }

    private DecodeType.Struct struct(String group, String version, String def, List<String> chain) {
        DecodeType.Struct known = structs.get(def);
        if (known != null) {
            return known;
        }
        String simple = def.substring(def.lastIndexOf('.') + 1);
        String goName = chain.isEmpty() ? defaultGoName(def) : chain.get(0);
        DecodeType.Struct created = new DecodeType.Struct(simple, goName, json -> {
            JsonNode property =
                    openApi.definition(group, version, def).path("properties").get(json);
            return property == null
                    ? null
                    : type(group, version, property, goNames().field(def, json));
        });
        DecodeType.Struct prior = structs.putIfAbsent(def, created);
        return prior != null ? prior : created;
    }

    /** io.k8s.api.core.v1.PodSpec → v1.PodSpec: the package's last element and the type, as Go prints it. */
    private static String defaultGoName(String def) {
        int last = def.lastIndexOf('.');
        int pkg = def.lastIndexOf('.', last - 1);
        return def.substring(pkg + 1);
    }

    private DecodeType type(String group, String version, JsonNode schema, List<String> chain) {
        String head = chain.isEmpty() ? null : chain.get(0);
        List<String> tail = chain.isEmpty() ? List.of() : chain.subList(1, chain.size());
        if (head != null && head.startsWith("@")) {
            return custom(head.substring(1));
        }
        String ref = OpenApiSchemas.ref(schema);
        if (ref != null) {
            String def = ref.substring(REF_PREFIX.length());
            DecodeType special = special(def);
            if (special != null) {
                return special;
            }
            JsonNode target = openApi.definition(group, version, def);
            if (target.has("properties")) {
                return struct(group, version, def, chain);
            }
            return type(group, version, target, chain);
        }
        switch (schema.path("type").asText("")) {
            case "string":
                return schema.path("format").asText("").equals("byte")
                        ? new DecodeType.Scalar(DecodeType.Kind.BYTES, name(head, "[]uint8"))
                        : new DecodeType.Scalar(DecodeType.Kind.STRING, name(head, "string"));
            case "integer":
                return schema.path("format").asText("").equals("int32")
                        ? new DecodeType.Scalar(DecodeType.Kind.INT32, name(head, "int32"))
                        : new DecodeType.Scalar(DecodeType.Kind.INT64, name(head, "int64"));
            case "number":
                return new DecodeType.Scalar(DecodeType.Kind.FLOAT, name(head, "float64"));
            case "boolean":
                return new DecodeType.Scalar(DecodeType.Kind.BOOL, name(head, "bool"));
            case "array": {
                DecodeType elem = type(group, version, schema.path("items"), tail);
                return new DecodeType.Slice(elem, name(head, "[]" + elem.goName()));
            }
            case "object": {
                JsonNode additional = schema.get("additionalProperties");
                if (additional != null && additional.isObject() && !schema.has("properties")) {
                    DecodeType elem = type(group, version, additional, tail);
                    return new DecodeType.MapOf(elem, name(head, "map[string]" + elem.goName()));
                }
                return any(head);
            }
            default:
                return any(head);
        }
    }

    private static String name(String recorded, String derived) {
        return recorded != null ? recorded : derived;
    }

    private static DecodeType any(String head) {
        return new DecodeType.Scalar(DecodeType.Kind.ANY, name(head, "interface {}"));
    }

    /** Types with their own UnmarshalJSON, by their Go name. */
    private static DecodeType custom(String goName) {
        return switch (goName) {
            case "intstr.IntOrString" -> new DecodeType.Scalar(DecodeType.Kind.INT_OR_STRING, "int32");
            case "resource.Quantity" -> new DecodeType.Scalar(DecodeType.Kind.QUANTITY, goName);
            case "v1.Time" -> new DecodeType.Scalar(DecodeType.Kind.TIME, "string");
            case "v1.MicroTime" -> new DecodeType.Scalar(DecodeType.Kind.MICRO_TIME, "string");
            default -> new DecodeType.Scalar(DecodeType.Kind.ANY, goName);
        };
    }

    /** The same types by their OpenAPI definition, where no Go name was recorded. */
    private static DecodeType special(String def) {
        return switch (def) {
            case "io.k8s.apimachinery.pkg.util.intstr.IntOrString" -> custom("intstr.IntOrString");
            case "io.k8s.apimachinery.pkg.api.resource.Quantity" -> custom("resource.Quantity");
            case "io.k8s.apimachinery.pkg.apis.meta.v1.Time" -> custom("v1.Time");
            case "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" -> custom("v1.MicroTime");
            case "io.k8s.apimachinery.pkg.runtime.RawExtension", "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1" ->
                custom(def);
            default -> def.contains("JSONSchemaPropsOr") || def.endsWith(".JSON") ? custom(def) : null;
        };
    }
}
