package io.kubetwin.apiserver.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * JSON patch as kube-apiserver applies it: gopkg.in/evanphx/json-patch.v4 (v4.12.0, patch.go), which handlers/patch.go
 * imports, with its departures from RFC 6902 kept: a path is split on {@code /} and its first segment dropped
 * whatever it holds ({@code data/x} adds {@code x} at the top level), {@code replace} of a missing object key adds it,
 * replacing the whole document with a scalar leaves it as it is, a missing or null value reads as nil ({@code test} against {@code null} passes, {@code copy} of a missing key adds
 * null), array indices take a sign and negative values count from the end. Upstream answers a patch document that is
 * not an array of operations with 400 {@code error decoding patch: ...} and an operation that cannot be applied with
 * the 422 {@code the server rejected our request due to an error in our request}, whose Status carries no cause (so
 * the library's own error texts never reach a client; the messages here only help a reader). Pure; the target is
 * not modified.
 */
public final class JsonPatch {
    private JsonPatch() {}

    /** The most operations one patch may hold (handlers/patch.go maxJSONPatchOperations). */
    public static final int MAX_OPERATIONS = 10000;

    // strconv.Atoi: an optional sign and decimal digits
    private static final Pattern ATOI = Pattern.compile("[+-]?[0-9]+");
    private static final BigInteger INT_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    public static JsonNode apply(JsonNode target, JsonNode patch) throws PatchException {
        if (!patch.isArray()) {
            String type = patch.isObject()
                    ? "object"
                    : patch.isTextual() ? "string" : patch.isNumber() ? "number" : patch.isBoolean() ? "bool" : "null";
            if (patch.isNull()) {
                return target.deepCopy();
            }
            throw new PatchException(
                    PatchException.Kind.BAD_REQUEST,
                    "error decoding patch: json: cannot unmarshal " + type
                            + " into Go value of type []handlers.jsonPatchOp");
        }
        // handlers/patch.go: the operations are decoded (400) before they are counted (413)
        String decode = decodeError(patch);
        if (decode != null) {
            throw new PatchException(PatchException.Kind.BAD_REQUEST, "error decoding patch: " + decode);
        }
        if (patch.size() > MAX_OPERATIONS) {
            throw new PatchException(
                    PatchException.Kind.TOO_LARGE,
                    "The allowed maximum operations in a JSON patch is " + MAX_OPERATIONS + ", got " + patch.size());
        }
        // ApplyIndent: the document is an array when it starts with '[', an object otherwise
        JsonNode[] doc = {target.deepCopy()};
        for (JsonNode op : patch) {
            String failure =
                    switch (kind(op)) {
                        case "add" -> add(doc, op);
                        case "remove" -> remove(doc, op);
                        case "replace" -> replace(doc, op);
                        case "move" -> move(doc, op);
                        case "test" -> test(doc, op);
                        case "copy" -> copy(doc, op);
                        default -> "Unexpected kind: " + kind(op);
                    };
            if (failure != null) {
                throw new PatchException(PatchException.Kind.UNPROCESSABLE, failure);
            }
        }
        return doc[0];
    }

    /** Operation.Kind: the "op" member when it is a string, "unknown" otherwise. */
    private static String kind(JsonNode op) {
        JsonNode v = op.get("op");
        return v != null && v.isTextual() ? v.asText() : "unknown";
    }

    /** Operation.Path / From: the member when it is a string; null when absent, null or not a string. */
    private static String pointer(JsonNode op, String member) {
        JsonNode v = op.get(member);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** Operation.value: the "value" member, Java null for nil (absent or JSON null). */
    private static JsonNode value(JsonNode op) {
        JsonNode v = op.get("value");
        return v == null || v.isNull() ? null : v.deepCopy();
    }

    /** A container and the decoded last key of a path, as findObject answers it (null container: missing path). */
    private record Found(JsonNode container, String key) {}

    private static Found find(JsonNode[] doc, String path) {
        String[] split = path.split("/", -1);
        if (split.length < 2) {
            return new Found(null, "");
        }
        JsonNode at = doc[0];
        for (int i = 1; i < split.length - 1; i++) {
            JsonNode next = get(at, decodeKey(split[i]));
            // a nil, an index that does not parse or a scalar (which does not unmarshal into a map) is a missing path
            if (next == null || !(next.isObject() || next.isArray())) {
                return new Found(null, "");
            }
            at = next;
        }
        return new Found(at, decodeKey(split[split.length - 1]));
    }

    /** RFC 6901 unescaping as decodePatchKey: ~1 first, then ~0. */
    private static String decodeKey(String k) {
        return k.replace("~1", "/").replace("~0", "~");
    }

    /** container.get: an object's member (nil for absent or null), an array's element (null when out of range). */
    private static JsonNode get(JsonNode container, String key) {
        if (container.isObject()) {
            JsonNode v = container.get(key);
            return v == null || v.isNull() ? null : v;
        }
        Long idx = atoi(key);
        if (idx == null) {
            return null;
        }
        int size = container.size();
        if (idx < 0) {
            if (idx < -size) {
                return null;
            }
            idx += size;
        }
        return idx >= size ? null : container.get((int) (long) idx);
    }

    /** Whether partialArray.get would fail (the "missing key" of replace, the error of move and copy's from). */
    private static boolean arrayGetFails(JsonNode container, String key) {
        if (!container.isArray()) {
            return false;
        }
        Long idx = atoi(key);
        if (idx == null) {
            return true;
        }
        int size = container.size();
        return idx < -size || (idx < 0 ? idx + size : idx) >= size;
    }

    /** strconv.Atoi on a 64-bit platform; null when it fails. */
    private static Long atoi(String s) {
        if (!ATOI.matcher(s).matches()) {
            return null;
        }
        BigInteger v = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
        return v.compareTo(INT_MIN) < 0 || v.compareTo(INT_MAX) > 0 ? null : v.longValue();
    }

    /** container.add; null on success, the error otherwise. */
    private static String addTo(JsonNode container, String key, JsonNode val) {
        JsonNode v = val == null ? NullNode.getInstance() : val;
        if (container.isObject()) {
            ((ObjectNode) container).set(key, v);
            return null;
        }
        ArrayNode ary = (ArrayNode) container;
        if (key.equals("-")) {
            ary.add(v);
            return null;
        }
        Long idx = atoi(key);
        if (idx == null) {
            return "value was not a proper array index: '" + key + "'";
        }
        int sz = ary.size() + 1;
        if (idx >= sz || idx < -sz) {
            return "Unable to access invalid index: " + idx;
        }
        ary.insert((int) (idx < 0 ? idx + sz : idx), v);
        return null;
    }

    /** container.remove; null on success, the error otherwise. */
    private static String removeFrom(JsonNode container, String key) {
        if (container.isObject()) {
            if (!container.has(key)) {
                return "Unable to remove nonexistent key: " + key + ": missing value";
            }
            ((ObjectNode) container).remove(key);
            return null;
        }
        Long idx = atoi(key);
        if (idx == null) {
            return "strconv.Atoi: parsing \"" + key + "\": invalid syntax";
        }
        int size = container.size();
        if (idx >= size || idx < -size) {
            return "Unable to access invalid index: " + idx;
        }
        ((ArrayNode) container).remove((int) (idx < 0 ? idx + size : idx));
        return null;
    }

    private static String add(JsonNode[] doc, JsonNode op) {
        String path = pointer(op, "path");
        if (path == null) {
            return "add operation failed to decode path: missing value";
        }
        Found f = find(doc, path);
        if (f.container() == null) {
            return "add operation does not apply: doc is missing path: \"" + path + "\": missing value";
        }
        String err = addTo(f.container(), f.key(), value(op));
        return err == null ? null : "error in add for path: '" + path + "': " + err;
    }

    private static String remove(JsonNode[] doc, JsonNode op) {
        String path = pointer(op, "path");
        if (path == null) {
            return "remove operation failed to decode path: missing value";
        }
        Found f = find(doc, path);
        if (f.container() == null) {
            return "remove operation does not apply: doc is missing path: \"" + path + "\": missing value";
        }
        String err = removeFrom(f.container(), f.key());
        return err == null ? null : "error in remove for path: '" + path + "': " + err;
    }

    private static String replace(JsonNode[] doc, JsonNode op) {
        String path = pointer(op, "path");
        if (path == null) {
            return "replace operation failed to decode path";
        }
        if (path.isEmpty()) {
            JsonNode val = value(op);
            if (val == null || !(val.isObject() || val.isArray())) {
                // errors.Wrapf(err, ...) of a nil err is nil: a value that is neither leaves the document as it is
                return null;
            }
            doc[0] = val;
            return null;
        }
        Found f = find(doc, path);
        if (f.container() == null) {
            return "replace operation does not apply: doc is missing path: " + path + ": missing value";
        }
        if (arrayGetFails(f.container(), f.key())) {
            return "replace operation does not apply: doc is missing key: " + path + ": missing value";
        }
        JsonNode v = value(op);
        if (f.container().isObject()) {
            // partialDoc.set: a missing key is simply set
            ((ObjectNode) f.container()).set(f.key(), v == null ? NullNode.getInstance() : v);
        } else {
            int idx = (int) (long) atoi(f.key());
            ArrayNode ary = (ArrayNode) f.container();
            ary.set(idx < 0 ? idx + ary.size() : idx, v == null ? NullNode.getInstance() : v);
        }
        return null;
    }

    private static String move(JsonNode[] doc, JsonNode op) {
        String from = pointer(op, "from");
        if (from == null) {
            return "move operation failed to decode from: operation, missing from field: missing value";
        }
        Found f = find(doc, from);
        if (f.container() == null) {
            return "move operation does not apply: doc is missing from path: " + from + ": missing value";
        }
        if (arrayGetFails(f.container(), f.key())) {
            return "error in move for path: '" + f.key() + "'";
        }
        JsonNode val = get(f.container(), f.key());
        String err = removeFrom(f.container(), f.key());
        if (err != null) {
            return "error in move for path: '" + f.key() + "': " + err;
        }
        String path = pointer(op, "path");
        if (path == null) {
            return "move operation failed to decode path";
        }
        Found to = find(doc, path);
        if (to.container() == null) {
            return "move operation does not apply: doc is missing destination path: " + path + ": missing value";
        }
        err = addTo(to.container(), to.key(), val);
        return err == null ? null : "error in move for path: '" + path + "': " + err;
    }

    private static String test(JsonNode[] doc, JsonNode op) {
        String path = pointer(op, "path");
        if (path == null) {
            return "test operation failed to decode path";
        }
        JsonNode expected = value(op);
        if (path.isEmpty()) {
            return expected != null && expected.equals(doc[0]) ? null : "testing value  failed: test failed";
        }
        Found f = find(doc, path);
        if (f.container() == null) {
            return "test operation does not apply: is missing path: " + path + ": missing value";
        }
        if (arrayGetFails(f.container(), f.key())) {
            return "error in test for path: '" + path + "'";
        }
        JsonNode actual = get(f.container(), f.key());
        if (actual == null) {
            // nil against a null or absent value passes (an absent one panics upstream; read as nil here)
            return expected == null ? null : "testing value " + path + " failed: test failed";
        }
        return expected != null && expected.equals(actual) ? null : "testing value " + path + " failed: test failed";
    }

    private static String copy(JsonNode[] doc, JsonNode op) {
        String from = pointer(op, "from");
        if (from == null) {
            return "copy operation failed to decode from: operation, missing from field: missing value";
        }
        Found f = find(doc, from);
        if (f.container() == null) {
            return "copy operation does not apply: doc is missing from path: " + from + ": missing value";
        }
        if (arrayGetFails(f.container(), f.key())) {
            return "error in copy for from: '" + from + "'";
        }
        JsonNode val = get(f.container(), f.key());
        String path = pointer(op, "path");
        if (path == null) {
            return "copy operation failed to decode path: missing value";
        }
        Found to = find(doc, path);
        if (to.container() == null) {
            return "copy operation does not apply: doc is missing destination path: " + path + ": missing value";
        }
        String err = addTo(to.container(), to.key(), val == null ? null : val.deepCopy());
        return err == null ? null : "error while adding value during copy: " + err;
    }

    /**
     * The first error of decoding the operations into handlers.jsonPatchOp (op, path and from strings, value
     * anything), as kjson.UnmarshalStrict reports it under the default Warn directive; null when they decode.
     */
    private static String decodeError(JsonNode patch) {
        for (JsonNode op : patch) {
            if (op.isNull()) {
                continue;
            }
            if (!op.isObject()) {
                return "json: cannot unmarshal " + goKind(op) + " into Go value of type handlers.jsonPatchOp";
            }
            for (var it = op.fields(); it.hasNext(); ) {
                var e = it.next();
                boolean stringField = e.getKey().equals("op")
                        || e.getKey().equals("path")
                        || e.getKey().equals("from");
                if (stringField && !e.getValue().isTextual() && !e.getValue().isNull()) {
                    return "json: cannot unmarshal " + goKind(e.getValue()) + " into Go struct field jsonPatchOp."
                            + e.getKey() + " of type string";
                }
            }
        }
        return null;
    }

    private static String goKind(JsonNode v) {
        return v.isObject()
                ? "object"
                : v.isArray() ? "array" : v.isTextual() ? "string" : v.isNumber() ? "number" : "bool";
    }
}
