package io.kubetwin.apiserver.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Strategic merge patch for built-in kinds (k8s.io/apimachinery/pkg/util/strategicpatch/patch.go,
 * applying side): maps merge, {@code null} deletes, lists with a merge key merge element-wise, lists
 * of scalars marked merge are unions, other lists are replaced. Honours the directives kubectl sends:
 * {@code $patch: replace|delete|merge}, {@code $retainKeys}, {@code $setElementOrder/<list>} and
 * {@code $deleteFromPrimitiveList/<list>}. Pure and thread-safe.
 */
public final class StrategicMergePatch {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String PATCH = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String SET_ORDER = "$setElementOrder/";
    private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

    private StrategicMergePatch() {}

    /** Applies {@code patch} to {@code original} (not modified) and answers the result. */
    public static ObjectNode apply(ObjectNode original, JsonNode patch, MergeKeys keys) throws PatchException {
        if (!patch.isObject() && !patch.isNull()) {
            // patch.go strategicPatchObject unmarshals the patch into a map[string]interface{} first
            String type =
                    patch.isArray() ? "array" : patch.isTextual() ? "string" : patch.isNumber() ? "number" : "bool";
            throw new PatchException(
                    PatchException.Kind.BAD_REQUEST,
                    "json: cannot unmarshal " + type + " into Go value of type map[string]interface {}");
        }
        if (!patch.isObject()) {
            throw new PatchException(PatchException.Kind.BAD_REQUEST, "invalid JSON document");
        }
        ObjectNode result = mergeMap(original.deepCopy(), (ObjectNode) patch, "", keys);
        return result == null ? F.objectNode() : result;
    }

    /** Merges {@code patch} into {@code original} in place; answers the merged map, or null to delete it. */
    private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, String path, MergeKeys keys)
            throws PatchException {
        JsonNode directive = patch.get(PATCH);
        if (directive != null) {
            switch (directive.asText()) {
                case "replace" -> {
                    ObjectNode replaced = patch.deepCopy();
                    replaced.remove(PATCH);
                    return stripDirectives(replaced);
                }
                case "delete" -> {
                    return null;
                }
                case "merge" -> {}
                default -> throw unknownPatchType(directive.asText(), patch);
            }
        }
        JsonNode retain = patch.get(RETAIN_KEYS);
        if (retain != null) {
            if (!retain.isArray()) {
                throw new PatchException(PatchException.Kind.BAD_REQUEST, "invalid patch format for retainKeys");
            }
            Set<String> keep = new HashSet<>();
            retain.forEach(k -> keep.add(k.asText()));
            original.retain(keep);
        }
        Map<String, JsonNode> orders = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.equals(PATCH) || key.equals(RETAIN_KEYS)) {
                continue;
            }
            if (key.startsWith(SET_ORDER)) {
                orders.put(key.substring(SET_ORDER.length()), value);
                continue;
            }
            if (key.startsWith(DELETE_PRIMITIVE)) {
                String field = key.substring(DELETE_PRIMITIVE.length());
                JsonNode current = original.get(field);
                if (current != null && current.isArray() && value.isArray()) {
                    Set<JsonNode> remove = new HashSet<>();
                    value.forEach(remove::add);
                    ArrayNode kept = F.arrayNode();
                    current.forEach(v -> {
                        if (!remove.contains(v)) {
                            kept.add(v);
                        }
                    });
                    original.set(field, kept);
                }
                continue;
            }
            String childPath = path.isEmpty() ? key : path + "." + key;
            if (value.isNull()) {
                original.remove(key);
            } else if (value.isObject()) {
                JsonNode current = original.get(key);
                ObjectNode merged = mergeMap(
                        current != null && current.isObject() ? (ObjectNode) current : F.objectNode(),
                        (ObjectNode) value,
                        childPath,
                        keys);
                if (merged == null) {
                    original.remove(key);
                } else {
                    original.set(key, merged);
                }
            } else if (value.isArray()) {
                JsonNode current = original.get(key);
                original.set(
                        key,
                        mergeList(
                                current != null && current.isArray() ? (ArrayNode) current : F.arrayNode(),
                                (ArrayNode) value,
                                childPath,
                                keys));
            } else {
                original.set(key, value.deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> order : orders.entrySet()) {
            JsonNode list = original.get(order.getKey());
            if (list != null && list.isArray() && order.getValue().isArray()) {
                String childPath = path.isEmpty() ? order.getKey() : path + "." + order.getKey();
                original.set(
                        order.getKey(),
                        reorder((ArrayNode) list, (ArrayNode) order.getValue(), keys.keyFor(childPath)));
            }
        }
        return original;
    }

    private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, String path, MergeKeys keys)
            throws PatchException {
        String mergeKey = keys.keyFor(path);
        if (mergeKey == null) {
            if (keys.isScalarSet(path)) {
                ArrayNode out = original.deepCopy();
                Set<JsonNode> present = new HashSet<>();
                out.forEach(present::add);
                for (JsonNode v : patch) {
                    if (present.add(v)) {
                        out.add(v.deepCopy());
                    }
                }
                return out;
            }
            ArrayNode replaced = F.arrayNode();
            for (JsonNode v : patch) {
                replaced.add(v.isObject() ? stripDirectives(((ObjectNode) v).deepCopy()) : v.deepCopy());
            }
            return replaced;
        }
        // a {"$patch": "replace"} element replaces the whole list with the other elements
        for (JsonNode item : patch) {
            if (item.isObject()
                    && item.size() == 1
                    && "replace".equals(item.path(PATCH).asText(null))) {
                ArrayNode replaced = F.arrayNode();
                for (JsonNode other : patch) {
                    if (other != item) {
                        replaced.add(
                                other.isObject() ? stripDirectives(((ObjectNode) other).deepCopy()) : other.deepCopy());
                    }
                }
                return replaced;
            }
        }
        ArrayNode out = original.deepCopy();
        for (JsonNode item : patch) {
            if (!item.isObject()) {
                throw new PatchException(PatchException.Kind.BAD_REQUEST, "invalid JSON document");
            }
            JsonNode keyValue = item.get(mergeKey);
            int index = indexOf(out, mergeKey, keyValue);
            String directive = item.path(PATCH).asText("");
            if (directive.equals("delete")) {
                if (index >= 0) {
                    out.remove(index);
                }
                continue;
            }
            if (index >= 0) {
                ObjectNode merged = mergeMap((ObjectNode) out.get(index), (ObjectNode) item, path, keys);
                if (merged == null) {
                    out.remove(index);
                } else {
                    out.set(index, merged);
                }
            } else {
                ObjectNode added = mergeMap(F.objectNode(), (ObjectNode) item, path, keys);
                if (added != null) {
                    out.add(added);
                }
            }
        }
        return normalizeElementOrder(out, original, patch, mergeKey);
    }

    /**
     * patch.go normalizeElementOrder and mergeSortedSlice: the elements the patch names keep the patch's order,
     * the others the original's, and the two are interleaved by their places in the original (an element new
     * to the list goes before the server-only elements that follow it).
     */
    private static ArrayNode normalizeElementOrder(ArrayNode merged, ArrayNode original, ArrayNode patch, String key) {
        List<JsonNode> patchKeys = new ArrayList<>();
        for (JsonNode item : patch) {
            if (item.isObject() && item.has(key) && !item.has(PATCH)) {
                patchKeys.add(item.get(key));
            }
        }
        List<JsonNode> patchItems = new ArrayList<>();
        for (JsonNode k : patchKeys) {
            int i = indexOf(merged, key, k);
            if (i >= 0 && !patchItems.contains(merged.get(i))) {
                patchItems.add(merged.get(i));
            }
        }
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode item : merged) {
            if (!patchKeys.contains(item.get(key))) {
                serverOnly.add(item);
            }
        }
        ArrayNode out = F.arrayNode();
        int i = 0;
        int j = 0;
        while (i < serverOnly.size() || j < patchItems.size()) {
            if (i >= serverOnly.size()) {
                out.add(patchItems.get(j++));
            } else if (j >= patchItems.size()) {
                out.add(serverOnly.get(i++));
            } else {
                int li = indexOf(original, key, serverOnly.get(i).get(key));
                int ri = indexOf(original, key, patchItems.get(j).get(key));
                out.add(li >= 0 && ri >= 0 && li < ri ? serverOnly.get(i++) : patchItems.get(j++));
            }
        }
        return out;
    }

    private static int indexOf(ArrayNode list, String mergeKey, JsonNode keyValue) {
        if (keyValue == null) {
            return -1;
        }
        for (int i = 0; i < list.size(); i++) {
            if (keyValue.equals(list.get(i).get(mergeKey))) {
                return i;
            }
        }
        return -1;
    }

    /** $setElementOrder: listed elements first in the given order, the rest after them in their order. */
    private static ArrayNode reorder(ArrayNode list, ArrayNode order, String mergeKey) {
        List<JsonNode> remaining = new ArrayList<>();
        list.forEach(remaining::add);
        ArrayNode out = F.arrayNode();
        for (JsonNode o : order) {
            JsonNode wanted = mergeKey != null && o.isObject() ? o.get(mergeKey) : o;
            for (Iterator<JsonNode> it = remaining.iterator(); it.hasNext(); ) {
                JsonNode item = it.next();
                JsonNode actual = mergeKey != null && item.isObject() ? item.get(mergeKey) : item;
                if (wanted != null && wanted.equals(actual)) {
                    out.add(item);
                    it.remove();
                    break;
                }
            }
        }
        remaining.forEach(out::add);
        return out;
    }

    private static ObjectNode stripDirectives(ObjectNode node) {
        List<String> drop = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> {
            if (k.startsWith("$")) {
                drop.add(k);
            }
        });
        node.remove(drop);
        return node;
    }

    /** The 500 upstream answers for an unknown directive, with the map in Go's %v form (keys sorted). */
    private static PatchException unknownPatchType(String type, ObjectNode map) {
        Map<String, String> sorted = new TreeMap<>();
        map.fields()
                .forEachRemaining(e -> sorted.put(
                        e.getKey(),
                        e.getValue().isValueNode()
                                ? e.getValue().asText()
                                : e.getValue().toString()));
        StringBuilder b = new StringBuilder("map[");
        int i = 0;
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            b.append(i++ > 0 ? " " : "").append(e.getKey()).append(':').append(e.getValue());
        }
        b.append(']');
        return new PatchException(PatchException.Kind.INTERNAL, "unknown patch type: " + type + " in map: " + b);
    }
}
