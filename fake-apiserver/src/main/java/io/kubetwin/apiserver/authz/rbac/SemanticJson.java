package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON equality in the spirit of apimachinery's semantic DeepEqual over typed Go structs: null, absent, empty
 * containers and zero values ("", false, 0) are all the same.
 */
final class SemanticJson {
    private SemanticJson() {}

    static boolean equal(JsonNode a, JsonNode b) {
        if (isEmpty(a) || isEmpty(b)) {
            return isEmpty(a) && isEmpty(b);
        }
        if (a.isObject() && b.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!equal(e.getValue(), b.get(e.getKey()))) {
                    return false;
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!a.has(e.getKey()) && !isEmpty(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean isEmpty(JsonNode n) {
        return n == null
                || n.isNull()
                || n.isMissingNode()
                || (n.isContainerNode() && n.isEmpty())
                || (n.isTextual() && n.asText().isEmpty())
                || (n.isBoolean() && !n.asBoolean())
                || (n.isNumber() && n.asDouble() == 0);
    }
}
