package io.kubetwin.apiserver.admission.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The CEL type of a kind's OpenAPI v3 schema, as the type checker builds it (k8s.io/apiserver/pkg/cel/common
 * schemas.go SchemaDeclType, with resolver/refs.go's PopulateRefs): objects with properties are struct types,
 * with additionalProperties maps of string, arrays lists, int-or-string {@code dyn}, strings with format
 * byte/duration/date/date-time bytes/duration/timestamp; a schema of no type (Quantity's oneOf) has no CEL type and
 * its field is left out, so {@code c.resources.limits} is an undefined field, as upstream. A $ref met again on its
 * own path is an object without fields. Struct types are built as the checker walks into them and are found by
 * name through this provider. One instance per kind; thread-safe.
 */
final class SchemaCelTypes implements CelTypeProvider {
    private final Function<String, JsonNode> refs;
    private final Map<String, CelType> structs = new ConcurrentHashMap<>();
    private final CelType root;

    /**
     * @param kind the kind, the prefix of struct type names
     * @param schema the kind's schema
     * @param refs the schema a {@code #/components/schemas/...} reference names, or null
     */
    SchemaCelTypes(String kind, JsonNode schema, Function<String, JsonNode> refs) {
        this.refs = refs;
        this.root = type(kind, schema, new HashSet<>());
    }

    /** The type of {@code object} and {@code oldObject}; null when the schema has none. */
    CelType root() {
        return root;
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        return Optional.ofNullable(structs.get(typeName));
    }

    /** A $ref (or allOf of one) resolved, with the refs on the path; null for an unknown reference. */
    private record Resolved(JsonNode schema, Set<String> path) {}

    private Resolved resolve(JsonNode schema, Set<String> path) {
        String ref = refOf(schema);
        if (ref == null) {
            return new Resolved(schema, path);
        }
        if (path.contains(ref)) {
            return new Resolved(
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                            .objectNode()
                            .put("type", "object"),
                    path);
        }
        JsonNode target = refs.apply(ref);
        if (target == null) {
            return null;
        }
        Set<String> next = new HashSet<>(path);
        next.add(ref);
        return new Resolved(target, next);
    }

    private static String refOf(JsonNode schema) {
        if (schema.hasNonNull("$ref")) {
            return schema.get("$ref").asText();
        }
        for (JsonNode a : schema.path("allOf")) {
            String r = refOf(a);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private CelType type(String name, JsonNode raw, Set<String> path) {
        Resolved r = resolve(raw, path);
        if (r == null) {
            return null;
        }
        JsonNode s = r.schema();
        if ("int-or-string".equals(s.path("format").asText())
                || s.path("x-kubernetes-int-or-string").asBoolean()) {
            return SimpleType.DYN;
        }
        String type = s.path("type").isArray()
                ? s.path("type").path(0).asText("")
                : s.path("type").asText("");
        switch (type) {
            case "array": {
                if (!s.has("items")) {
                    return null;
                }
                CelType items = type(name + ".@idx", s.get("items"), r.path());
                return items == null ? null : ListType.create(items);
            }
            case "object": {
                JsonNode ap = s.path("additionalProperties");
                if (ap.isObject()) {
                    CelType values = type(name + ".@elem", ap, r.path());
                    return values == null ? null : MapType.create(SimpleType.STRING, values);
                }
                return struct(name, s, r.path());
            }
            case "string":
                return switch (s.path("format").asText("")) {
                    case "byte" -> SimpleType.BYTES;
                    case "duration" -> SimpleType.DURATION;
                    case "date", "date-time" -> SimpleType.TIMESTAMP;
                    default -> SimpleType.STRING;
                };
            case "boolean":
                return SimpleType.BOOL;
            case "number":
                return SimpleType.DOUBLE;
            case "integer":
                return SimpleType.INT;
            default:
                return null;
        }
    }

    /** A struct of the properties that have a type; each field's type is built when the checker first asks. */
    private CelType struct(String name, JsonNode s, Set<String> path) {
        Map<String, CelType> fieldTypes = new ConcurrentHashMap<>();
        Set<String> names = new java.util.LinkedHashSet<>();
        s.path("properties").fields().forEachRemaining(e -> {
            if (hasType(e.getValue(), path, 0)) {
                names.add(e.getKey());
            }
        });
        // dev.cel finds only declared field names: declare the escaped forms too
        Set<String> declared = new java.util.LinkedHashSet<>(names);
        names.forEach(n -> declared.add(escape(n)));
        StructType t = StructType.create(name, ImmutableSet.copyOf(declared), selected -> {
            // a property is found by its name and by its escaped form (__namespace__, a__dash__b), as upstream
            String field = names.contains(selected) ? selected : unescape(selected);
            if (!names.contains(field)) {
                return Optional.empty();
            }
            return Optional.of(fieldTypes.computeIfAbsent(
                    field, f -> type(name + "." + f, s.path("properties").get(f), path)));
        });
        structs.put(name, t);
        return t;
    }

    private static final Set<String> RESERVED = Set.of(
            "true",
            "false",
            "null",
            "in",
            "as",
            "break",
            "const",
            "continue",
            "else",
            "for",
            "function",
            "if",
            "import",
            "let",
            "loop",
            "package",
            "namespace",
            "return",
            "var",
            "void",
            "while");

    /** apiserver/pkg/cel escaping.go Escape (for the names it accepts). */
    static String escape(String name) {
        if (RESERVED.contains(name)) {
            return "__" + name + "__";
        }
        return name.replace("__", "__underscores__")
                .replace(".", "__dot__")
                .replace("-", "__dash__")
                .replace("/", "__slash__");
    }

    /** apiserver/pkg/cel escaping.go Unescape: __keyword__, and __underscores__, __dot__, __dash__, __slash__. */
    static String unescape(String escaped) {
        if (escaped.length() > 4 && escaped.startsWith("__") && escaped.endsWith("__")) {
            String inner = escaped.substring(2, escaped.length() - 2);
            if (RESERVED.contains(inner)) {
                return inner;
            }
        }
        return escaped.replace("__underscores__", "__")
                .replace("__dot__", ".")
                .replace("__dash__", "-")
                .replace("__slash__", "/");
    }

    /** Whether {@link #type} gives {@code raw} a type, without building it (depth-bounded for recursion). */
    private boolean hasType(JsonNode raw, Set<String> path, int depth) {
        Resolved r = resolve(raw, path);
        if (r == null || depth > 32) {
            return r != null;
        }
        JsonNode s = r.schema();
        if ("int-or-string".equals(s.path("format").asText())
                || s.path("x-kubernetes-int-or-string").asBoolean()) {
            return true;
        }
        String type = s.path("type").isArray()
                ? s.path("type").path(0).asText("")
                : s.path("type").asText("");
        return switch (type) {
            case "array" -> s.has("items") && hasType(s.get("items"), r.path(), depth + 1);
            case "object" ->
                !s.path("additionalProperties").isObject()
                        || hasType(s.get("additionalProperties"), r.path(), depth + 1);
            case "string", "boolean", "number", "integer" -> true;
            default -> false;
        };
    }
}
