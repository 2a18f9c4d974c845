package io.kubetwin.apiserver.registry.virtual;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.pki.GoText;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Go values held as JSON trees, and their {@code encoding/json} output. A value of a {@link GoType.Struct}
 * is an object holding every field (zero values included) in declaration order; nil pointers, slices and
 * maps and the zero {@code metav1.Time} are JSON null. {@link #encode} applies the JSON tags: field order,
 * {@code omitempty}/{@code omitzero}, sorted map keys. Stateless and thread-safe.
 */
public final class GoValues {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private GoValues() {}

    /** The zero value of a type. */
    public static JsonNode zero(GoType type) {
        if (type instanceof GoType.Str) {
            return NODES.textNode("");
        }
        if (type instanceof GoType.Int) {
            return NODES.numberNode(0L);
        }
        if (type instanceof GoType.Bool) {
            return NODES.booleanNode(false);
        }
        if (type instanceof GoType.Struct s) {
            ObjectNode o = NODES.objectNode();
            for (GoType.Field f : s.fields()) {
                o.set(f.json(), zero(f.type()));
            }
            return o;
        }
        return NODES.nullNode();
    }

    /** What {@code json.Marshal} writes for {@code value} of {@code type}. */
    public static JsonNode encode(JsonNode value, GoType type) {
        if (value == null || value.isMissingNode()) {
            value = zero(type);
        }
        if (type instanceof GoType.Struct s) {
            ObjectNode out = NODES.objectNode();
            for (GoType.Field f : s.fields()) {
                JsonNode v = value.get(f.json());
                if (v == null) {
                    v = zero(f.type());
                }
                if (!omitted(v, f)) {
                    out.set(f.json(), encode(v, f.type()));
                }
            }
            return out;
        }
        if (type instanceof GoType.Ptr p) {
            return value.isNull() ? NODES.nullNode() : encode(value, p.elem());
        }
        if (type instanceof GoType.Slice s) {
            if (value.isNull()) {
                return NODES.nullNode();
            }
            ArrayNode out = NODES.arrayNode();
            value.forEach(e -> out.add(encode(e, s.elem())));
            return out;
        }
        if (type instanceof GoType.MapOf m) {
            if (value.isNull()) {
                return NODES.nullNode();
            }
            ObjectNode out = NODES.objectNode();
            for (String key : sortedKeys(value)) {
                out.set(key, encode(value.get(key), m.value()));
            }
            return out;
        }
        return value.deepCopy();
    }

    /** Whether the field's tag drops this value. */
    static boolean omitted(JsonNode v, GoType.Field f) {
        switch (f.omit()) {
            case ZERO:
                return v.isNull();
            case EMPTY:
                return isEmpty(v, f.type());
            default:
                return false;
        }
    }

    /** encoding/json's isEmptyValue: "", 0, false, nil, and empty slices and maps; structs never. */
    static boolean isEmpty(JsonNode v, GoType type) {
        if (type instanceof GoType.Struct) {
            return false;
        }
        if (type instanceof GoType.Str) {
            return v.asText().isEmpty();
        }
        if (type instanceof GoType.Int) {
            return v.asLong() == 0;
        }
        if (type instanceof GoType.Bool) {
            return !v.asBoolean();
        }
        if (type instanceof GoType.Slice || type instanceof GoType.MapOf) {
            return v.isNull() || v.isEmpty();
        }
        return v.isNull();
    }

    /** Map keys in Go's order (byte order of the UTF-8 keys). */
    static List<String> sortedKeys(JsonNode map) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = map.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        keys.sort(GoText.ORDER);
        return keys;
    }

    /** metav1.Time's JSON form: RFC 3339 in UTC, whole seconds. */
    public static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** A string field of a struct value ("" when zero). */
    public static String text(JsonNode struct, String field) {
        JsonNode v = struct == null ? null : struct.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** A []string value as a list (empty for nil). */
    public static List<String> strings(JsonNode slice) {
        List<String> out = new ArrayList<>();
        if (slice != null && slice.isArray()) {
            slice.forEach(e -> out.add(e.asText()));
        }
        return out;
    }
}
