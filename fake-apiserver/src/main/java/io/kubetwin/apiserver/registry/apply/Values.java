package io.kubetwin.apiserver.registry.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.pki.GoText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * structured-merge-diff's value semantics (value/value.go) over Jackson trees: equality and a total order in which
 * integers and floats compare numerically (Jackson's own equals tells IntNode 1 from LongNode 1), and the Go
 * renderings used in paths and conflict messages. Stateless and thread-safe.
 */
final class Values {
    private Values() {}

    static boolean isFloat(JsonNode v) {
        return v.isNumber() && !v.isIntegralNumber();
    }

    static boolean isInt(JsonNode v) {
        return v.isIntegralNumber();
    }

    /** value.Equals. */
    static boolean equal(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isFloat(a) || isFloat(b)) {
            if (!a.isNumber() || !b.isNumber()) {
                return false;
            }
            return a.doubleValue() == b.doubleValue();
        }
        if (isInt(a) || isInt(b)) {
            return isInt(a) && isInt(b) && a.bigIntegerValue().equals(b.bigIntegerValue());
        }
        if (a.isTextual() || b.isTextual()) {
            return a.isTextual() && b.isTextual() && a.textValue().equals(b.textValue());
        }
        if (a.isBoolean() || b.isBoolean()) {
            return a.isBoolean() && b.isBoolean() && a.booleanValue() == b.booleanValue();
        }
        if (a.isArray() || b.isArray()) {
            if (!a.isArray() || !b.isArray() || a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() || b.isObject()) {
            if (!a.isObject() || !b.isObject() || a.size() != b.size()) {
                return false;
            }
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!b.has(k) || !equal(a.get(k), b.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return a.isNull() == b.isNull();
    }

    /** value.Compare: numbers, then strings, booleans, lists, maps, null. */
    static int compare(JsonNode a, JsonNode b) {
        if (a.isNumber() || b.isNumber()) {
            if (!a.isNumber()) {
                return 1;
            }
            if (!b.isNumber()) {
                return -1;
            }
            if (isFloat(a) || isFloat(b)) {
                return Double.compare(a.doubleValue(), b.doubleValue());
            }
            return a.bigIntegerValue().compareTo(b.bigIntegerValue());
        }
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        if (a.isTextual()) {
            return GoText.ORDER.compare(a.textValue(), b.textValue());
        }
        if (a.isBoolean()) {
            return Boolean.compare(a.booleanValue(), b.booleanValue());
        }
        if (a.isArray()) {
            for (int i = 0; ; i++) {
                if (i >= a.size() && i >= b.size()) {
                    return 0;
                }
                if (i >= a.size()) {
                    return -1;
                }
                if (i >= b.size()) {
                    return 1;
                }
                int c = compare(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
        }
        if (a.isObject()) {
            List<String> ka = sortedKeys(a);
            List<String> kb = sortedKeys(b);
            for (int i = 0; ; i++) {
                if (i >= ka.size() && i >= kb.size()) {
                    return 0;
                }
                if (i >= ka.size()) {
                    return -1;
                }
                if (i >= kb.size()) {
                    return 1;
                }
                int c = GoText.ORDER.compare(ka.get(i), kb.get(i));
                if (c != 0) {
                    return c;
                }
                c = compare(a.get(ka.get(i)), b.get(kb.get(i)));
                if (c != 0) {
                    return c;
                }
            }
        }
        return 0;
    }

    private static int rank(JsonNode v) {
        if (v.isTextual()) {
            return 1;
        }
        if (v.isBoolean()) {
            return 2;
        }
        if (v.isArray()) {
            return 3;
        }
        if (v.isObject()) {
            return 4;
        }
        return 5;
    }

    static List<String> sortedKeys(JsonNode object) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        keys.sort(GoText.ORDER);
        return keys;
    }

    /** value.ToString: strings quoted as %q, numbers and booleans as %v. */
    static String toGoString(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return GoText.quote(v.textValue());
        }
        if (isFloat(v)) {
            return goFloat(v.doubleValue());
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(i -> parts.add(toGoString(i)));
            return "[" + String.join(",", parts) + "]";
        }
        StringBuilder b = new StringBuilder();
        v.fields().forEachRemaining(e -> b.append(e.getKey()).append('=').append(toGoString(e.getValue())));
        return b.toString();
    }

    /** %v of a float64 (strconv 'g' with the shortest representation). */
    private static String goFloat(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return new BigDecimal(d).toPlainString();
        }
        return Double.toString(d);
    }

    /** The value as Go's encoding/json writes it, compactly (path element keys of FieldsV1). */
    static String json(JsonNode v) {
        try {
            return GoJson.mapper().writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
