package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.flipkart.zjsonpatch.JsonPatch;
import com.flipkart.zjsonpatch.JsonPatchApplicationException;
import io.kubetwin.apiserver.registry.codec.GoJsonSyntax;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A mutating webhook's JSON Patch, applied with zjsonpatch one operation at a time so that a failing operation is
 * reported in the words of the library kube-apiserver uses (gopkg.in/evanphx/json-patch.v4 patch.go), e.g.
 * {@code replace operation does not apply: doc is missing path: /spec/x: missing value}. Pure.
 */
final class WebhookPatch {
    private WebhookPatch() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A patch the webhook sent that is not a JSON Patch document (jsonpatch.DecodePatch's error). */
    static final class UndecodableException extends Exception {
        UndecodableException(String message) {
            super(message, null, false, false);
        }
    }

    /** A patch that does not apply to the object (upstream then fails with an internal error). */
    static final class ApplyException extends Exception {
        ApplyException(String message) {
            super(message, null, false, false);
        }
    }

    static ArrayNode decode(byte[] patch) throws UndecodableException {
        String text = new String(patch, StandardCharsets.UTF_8);
        Optional<String> syntax = GoJsonSyntax.check(text);
        if (syntax.isPresent()) {
            throw new UndecodableException(syntax.get());
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (Exception e) {
            throw new UndecodableException(e.getMessage());
        }
        if (!(node instanceof ArrayNode ops)) {
            String type =
                    node.isObject() ? "object" : node.isTextual() ? "string" : node.isNumber() ? "number" : "bool";
            throw new UndecodableException("json: cannot unmarshal " + type + " into Go value of type jsonpatch.Patch");
        }
        return ops;
    }

    static JsonNode apply(ArrayNode ops, JsonNode target) throws ApplyException {
        JsonNode doc = target.deepCopy();
        for (JsonNode op : ops) {
            String kind = op.path("op").asText("");
            String path = op.path("path").asText("");
            checkApplies(doc, kind, path, op);
            try {
                doc = JsonPatch.apply(JSON.createArrayNode().add(op), doc);
            } catch (JsonPatchApplicationException e) {
                throw new ApplyException(e.getMessage());
            }
        }
        return doc;
    }

    /** The evanphx texts for an operation whose path (or its parent) is missing, or whose test fails. */
    private static void checkApplies(JsonNode doc, String kind, String path, JsonNode op) throws ApplyException {
        JsonPointer pointer;
        try {
            pointer = JsonPointer.compile(path);
        } catch (IllegalArgumentException e) {
            throw new ApplyException(kind + " operation failed to decode path");
        }
        boolean parentMissing = !pointer.matches() && doc.at(pointer.head()).isMissingNode();
        boolean missing = doc.at(pointer).isMissingNode();
        switch (kind) {
            case "add" -> {
                if (parentMissing) {
                    throw new ApplyException(
                            "add operation does not apply: doc is missing path: \"" + path + "\": missing value");
                }
            }
            case "remove" -> {
                if (parentMissing) {
                    throw new ApplyException(
                            "remove operation does not apply: doc is missing path: \"" + path + "\": missing value");
                }
                if (missing) {
                    throw new ApplyException(
                            "error in remove for path: '" + path + "': Unable to remove nonexistent key: "
                                    + pointer.last().getMatchingProperty() + ": missing value");
                }
            }
            case "replace" -> {
                if (parentMissing) {
                    throw new ApplyException(
                            "replace operation does not apply: doc is missing path: " + path + ": missing value");
                }
                if (missing) {
                    throw new ApplyException(
                            "replace operation does not apply: doc is missing key: " + path + ": missing value");
                }
            }
            case "test" -> {
                if (missing || !doc.at(pointer).equals(op.get("value"))) {
                    throw new ApplyException("testing value " + path + " failed: test failed");
                }
            }
            default -> {
                // move and copy: the library's own text
            }
        }
    }
}
