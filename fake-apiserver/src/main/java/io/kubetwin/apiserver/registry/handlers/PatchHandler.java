package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.codec.BodyDecoder;
import io.kubetwin.apiserver.registry.patch.JsonPatch;
import io.kubetwin.apiserver.registry.patch.MergeKeys;
import io.kubetwin.apiserver.registry.patch.MergePatch;
import io.kubetwin.apiserver.registry.patch.PatchException;
import io.kubetwin.apiserver.registry.patch.StrategicMergePatch;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.request.ResponseWarnings;
import io.vertx.core.Future;
import java.util.List;

/**
 * PATCH (handlers/patch.go PatchResource): JSON patch, merge patch and, for built-in kinds, strategic
 * merge patch, applied to the current object and written as an update conditional on the version read
 * (retried on conflict as upstream does), recorded in managedFields; server-side apply is {@link ApplyPatch}.
 */
public final class PatchHandler {
    static final String JSON_PATCH = "application/json-patch+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String STRATEGIC = "application/strategic-merge-patch+json";
    private static final int MAX_ATTEMPTS = 5;

    private PatchHandler() {}

    public static void handle(Scope scope) {
        String type = BodyDecoder.mediaType(scope.rc().request().getHeader("Content-Type"));
        if (type.equals(ApplyPatch.APPLY_YAML)) {
            handleApply(scope);
            return;
        }
        MergeKeys keys = scope.strategy().mergeKeys();
        boolean supported =
                type.equals(JSON_PATCH) || type.equals(MERGE_PATCH) || (type.equals(STRATEGIC) && keys != null);
        if (type.equals(STRATEGIC) && keys == null) {
            // custom resources: the handler's own negotiation (patch.go) rejects strategic merge patch
            Responses.fail(
                    scope.rc(),
                    new StatusException(Status.failure(
                            415,
                            "UnsupportedMediaType",
                            "the body of the request was in an unknown format - accepted media types include: "
                                    + JSON_PATCH + ", " + MERGE_PATCH + ", application/apply-patch+yaml",
                            null)));
            return;
        }
        if (!supported) {
            StatusException e = type.equals(STRATEGIC)
                    // custom resources list their patch types (handlers/patch.go NewUnsupportedMediaTypeError)
                    ? new StatusException(Status.failure(
                            415,
                            "UnsupportedMediaType",
                            "the body of the request was in an unknown "
                                    + "format - accepted media types include: application/json-patch+json, application/merge-patch+json, "
                                    + "application/apply-patch+yaml",
                            null))
                    // go-restful rejects unlisted patch types before the handler runs
                    : new StatusException(Status.failure(
                            415, "UnsupportedMediaType", "415: Unsupported Media Type", Status.Details.empty()));
            Responses.fail(scope.rc(), e);
            return;
        }
        if (scope.state().bodyTooLarge()) {
            Responses.fail(scope.rc(), Statuses.requestEntityTooLarge("limit is 3145728"));
            return;
        }
        if (scope.query("force") != null) {
            // ValidatePatchOptions
            Responses.fail(
                    scope.rc(),
                    FieldError.invalid(
                            "meta.k8s.io",
                            "PatchOptions",
                            "",
                            List.of(FieldError.forbidden("force", "may not be specified for non-apply patch"))));
            return;
        }
        PatchDecoding decoding;
        try {
            decoding = PatchDecoding.of(scope, type);
        } catch (RuntimeException e) {
            Responses.fail(scope.rc(), e);
            return;
        }
        BodyDecoder.ParseResult parsed = BodyDecoder.parse(scope.state().body().getBytes(), false);
        if (parsed.error() != null) {
            Responses.fail(scope.rc(), Statuses.badRequest("error decoding patch: " + parsed.error()));
            return;
        }
        // audit logs the patch as sent (LogRequestPatch), not the patched object
        scope.state().requestPatch(parsed.node());
        attempt(scope, type, parsed.node(), keys, decoding, 1)
                .onSuccess(updated -> Responses.write(scope.rc(), 200, Conversion.toServed(scope.served(), updated)))
                .onFailure(e -> Responses.fail(scope.rc(), e));
    }

    private static void handleApply(Scope scope) {
        try {
            if (scope.state().bodyTooLarge()) {
                throw Statuses.requestEntityTooLarge("limit is 3145728");
            }
            ApplyPatch.validateOptions(scope);
            FieldValidation validation = FieldValidation.of(scope, "PatchOptions");
            ObjectNode config = ApplyPatch.decode(scope.state().body().getBytes());
            if (validation != FieldValidation.IGNORE) {
                // patch.go applyPatcher: yaml.UnmarshalStrict of the body, after decoding it (checked before the
                // apply here, so an apply error that would come first is answered after this one)
                List<String> duplicates =
                        BodyDecoder.yamlDuplicates(scope.state().body().getBytes());
                if (!duplicates.isEmpty() && validation == FieldValidation.STRICT) {
                    throw Statuses.badRequest("error strict decoding YAML: error converting YAML to JSON: "
                            + FieldValidation.yamlErrors(duplicates));
                }
                duplicates.forEach(w -> ResponseWarnings.add(scope.rc(), w));
            }
            // audit logs the patch as sent (LogRequestPatch)
            scope.state().requestPatch(config);
            ApplyPatch.apply(scope, config)
                    .onSuccess(r -> Responses.write(
                            scope.rc(), r.created() ? 201 : 200, Conversion.toServed(scope.served(), r.object())))
                    .onFailure(e -> Responses.fail(scope.rc(), e));
        } catch (RuntimeException e) {
            Responses.fail(scope.rc(), e);
        }
    }

    private static Future<ObjectNode> attempt(
            Scope scope, String type, JsonNode patch, MergeKeys keys, PatchDecoding decoding, int attempt) {
        return scope.registry()
                .get(scope.served(), scope.namespace(), scope.name())
                .compose(current -> {
                    String readVersion =
                            current.path("metadata").path("resourceVersion").asText("");
                    JsonNode patched;
                    try {
                        patched = apply(type, Conversion.toServed(scope.served(), current.deepCopy()), patch, keys);
                    } catch (PatchException e) {
                        return Future.failedFuture(toStatus(e));
                    }
                    if (!patched.isObject()) {
                        return Future.failedFuture(
                                Statuses.badRequest("the patch produced a value that is not an object"));
                    }
                    ObjectNode object = (ObjectNode) patched;
                    try {
                        ObjectNode decoded = decoding.check(scope, object, patch);
                        if (decoded != null) {
                            // what DecodeInto keeps: a field the patch added that the type has not is gone
                            retainDecoded(object, decoded);
                        }
                    } catch (RuntimeException e) {
                        return Future.failedFuture(e);
                    }
                    object.put("kind", scope.served().type().kind());
                    object.put("apiVersion", scope.served().type().apiVersion());
                    object = Conversion.toStored(scope.served(), object);
                    // a resourceVersion in the patch makes it conditional on that version; otherwise on the one just
                    // read
                    String patchVersion =
                            patch.path("metadata").path("resourceVersion").asText("");
                    if (!object.path("metadata").isObject()) {
                        object.putObject("metadata");
                    }
                    ((ObjectNode) object.get("metadata"))
                            .put("resourceVersion", patchVersion.isEmpty() ? readVersion : patchVersion);
                    if (!object.path("metadata").path("name").asText("").equals(scope.name())) {
                        return Future.failedFuture(Statuses.badRequest("the name of the object ("
                                + object.path("metadata").path("name").asText("")
                                + ") does not match the name on the URL (" + scope.name() + ")"));
                    }
                    return scope.registry()
                            .update(
                                    scope.served(),
                                    scope.namespace(),
                                    scope.name(),
                                    object,
                                    scope.subresource(),
                                    scope.user(),
                                    scope.dryRun(),
                                    Scope.manager(scope),
                                    scope.recorder())
                            .recover(e -> {
                                boolean conflict =
                                        e instanceof StatusException se && se.code() == 409 && patchVersion.isEmpty();
                                return conflict && attempt < MAX_ATTEMPTS
                                        ? attempt(scope, type, patch, keys, decoding, attempt + 1)
                                        : Future.failedFuture(e);
                            });
                });
    }

    /**
     * Removes from the patched object what the typed decode dropped, keeping every other node as it is: the stored
     * object's number nodes (a defaulted int64 is a LongNode, the decode's an IntNode) must stay equal to the old
     * object's where the patch did not touch them, or an unchanged pod spec reads as changed.
     */
    static void retainDecoded(JsonNode patched, JsonNode decoded) {
        if (patched instanceof ObjectNode o && decoded instanceof ObjectNode d) {
            o.retain(iterable(d.fieldNames()));
            o.fields().forEachRemaining(e -> retainDecoded(e.getValue(), d.get(e.getKey())));
        } else if (patched instanceof com.fasterxml.jackson.databind.node.ArrayNode a
                && decoded instanceof com.fasterxml.jackson.databind.node.ArrayNode d
                && a.size() == d.size()) {
            for (int i = 0; i < a.size(); i++) {
                retainDecoded(a.get(i), d.get(i));
            }
        }
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> names) {
        java.util.List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    static JsonNode apply(String type, ObjectNode current, JsonNode patch, MergeKeys keys) throws PatchException {
        return switch (type) {
            case JSON_PATCH -> JsonPatch.apply(current, patch);
            case MERGE_PATCH -> {
                if (!patch.isObject() && !patch.isNull()) {
                    throw new PatchException(
                            PatchException.Kind.BAD_REQUEST,
                            "error decoding patch: json: cannot unmarshal " + (patch.isArray() ? "array" : "value")
                                    + " into Go value of type map[string]interface {}");
                }
                yield MergePatch.apply(current, patch);
            }
            default -> StrategicMergePatch.apply(current, patch, keys);
        };
    }

    private static StatusException toStatus(PatchException e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> Statuses.badRequest(e.getMessage());
            case TOO_LARGE -> Statuses.requestEntityTooLarge(e.getMessage());
            case UNPROCESSABLE ->
                new StatusException(Status.failure(
                        422,
                        "Invalid",
                        "the server rejected our request due to an error in our request",
                        Status.Details.empty()));
            case INTERNAL -> new StatusException(Status.failure(500, "", e.getMessage(), null));
        };
    }
}
