package io.kubetwin.apiserver.registry.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;

/**
 * JSON patch, RFC 6902, through zjsonpatch. Upstream answers a patch document that is not an array of
 * operations with 400 {@code error decoding patch: ...} and an operation that cannot be applied with
 * 422 {@code the server rejected our request due to an error in our request}.
 */
public final class JsonPatch {
    private JsonPatch() {}

    /** The most operations one patch may hold (handlers/patch.go maxJSONPatchOperations). */
    public static final int MAX_OPERATIONS = 10000;

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
        if (patch.size() > MAX_OPERATIONS) {
            throw new PatchException(
                    PatchException.Kind.TOO_LARGE,
                    "The allowed maximum operations in a JSON patch is " + MAX_OPERATIONS + ", got " + patch.size());
        }
        try {
            return com.flipkart.zjsonpatch.JsonPatch.apply(patch, target);
        } catch (JsonPatchApplicationException e) {
            throw new PatchException(PatchException.Kind.UNPROCESSABLE, e.getMessage());
        }
    }
}
