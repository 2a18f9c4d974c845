package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.codec.BodyDecoder;
import io.kubetwin.apiserver.registry.codec.DecodeType;
import io.kubetwin.apiserver.registry.codec.PatchedValues;
import io.kubetwin.apiserver.registry.codec.TypedDecoder;
import io.kubetwin.apiserver.registry.codec.UnstructuredConverter;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.request.ResponseWarnings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A patched object of a built-in kind decoded back into its Go type, as handlers/patch.go does: JSON and merge
 * patches through the JSON decoder (strict unless {@code fieldValidation=Ignore}), strategic merge patches through
 * the unstructured converter. A type error is the 422 {@code "" is invalid: patch: Invalid value: "<patched JSON
 * or %+v of the patch>": <error>}; unknown fields, and the duplicate fields of a merge or strategic merge patch's
 * own body, are warnings under Warn and that 422 with {@code strict decoding error: ...} under Strict.
 * Server-side apply has its own path ({@link ApplyPatch}).
 *
 * @param validation the request's directive
 * @param type the kind's Go type, null for custom resources (not checked here)
 * @param strategic whether the patch is a strategic merge patch
 * @param jsonPatch whether the patch is a JSON patch (its paths, not its body, say what was re-encoded)
 * @param applied the strict errors of the patch body itself (its duplicate fields), in document order
 */
record PatchDecoding(
        FieldValidation validation,
        DecodeType.Struct type,
        boolean strategic,
        boolean jsonPatch,
        List<String> applied) {

    /** Reads the directive (PatchOptions' 422 for a bad one) and the patch body's own duplicate fields. */
    static PatchDecoding of(Scope scope, String patchType) {
        FieldValidation validation = FieldValidation.of(scope, "PatchOptions");
        var t = scope.served().type();
        DecodeType.Struct type = scope.strategy().unstructured()
                ? null
                : scope.registry()
                        .typedSchemas()
                        .kind(t.group(), t.version(), t.kind())
                        .orElse(null);
        boolean jsonPatch = patchType.equals(PatchHandler.JSON_PATCH);
        List<String> applied = validation == FieldValidation.IGNORE || jsonPatch
                ? List.of()
                : TypedDecoder.duplicateFields(scope.state().body().getBytes());
        return new PatchDecoding(validation, type, patchType.equals(PatchHandler.STRATEGIC), jsonPatch, applied);
    }

    /**
     * Checks the patched object (in the served version); throws the 422 or adds the warnings. Answers the object as
     * the JSON and merge patches' DecodeInto leaves it (unknown fields dropped), or null when the patched object
     * stays as it is (custom resources, strategic merge patches).
     */
    ObjectNode check(Scope scope, ObjectNode patched, JsonNode patch) {
        List<String> strictErrors = new ArrayList<>();
        // the printed value costs an encoding of the object: built only for a refusal
        Supplier<String> value;
        if (type == null) {
            return null; // custom resources: see known-divergences
        }
        ObjectNode decoded = null;
        if (strategic) {
            value = () -> PatchedValues.goValue(patch);
            UnstructuredConverter.Result r = UnstructuredConverter.convert(patched, type);
            if (r.error() != null) {
                throw invalid(value, r.error());
            }
            strictErrors.addAll(applied);
            if (validation != FieldValidation.IGNORE) {
                strictErrors.addAll(r.unknownFields());
            }
        } else {
            value = () ->
                    PatchedValues.patchedJson(patched, jsonPatch ? PatchedValues.touchedByPointers(patch) : patch);
            String otherKind = otherKind(scope, patched);
            if (otherKind != null) {
                throw invalid(value, otherKind);
            }
            TypedDecoder.Result r = TypedDecoder.decode(patched, type);
            if (r.typeError() != null) {
                throw invalid(value, r.typeError());
            }
            decoded = r.object();
            strictErrors.addAll(applied);
            if (validation != FieldValidation.IGNORE) {
                strictErrors.addAll(r.strictErrors());
            }
        }
        if (strictErrors.isEmpty() || validation == FieldValidation.IGNORE) {
            return decoded;
        }
        if (validation == FieldValidation.STRICT) {
            throw invalid(value, "strict decoding error: " + String.join(", ", strictErrors));
        }
        strictErrors.forEach(w -> ResponseWarnings.add(scope.rc(), w));
        return decoded;
    }

    /**
     * The decode error of a patched object whose apiVersion or kind the patch changed (runtime.DecodeInto of the
     * patched JSON: the serializer reads the version and kind first, decodes into that kind's type, then converts
     * into the endpoint's): the TypeMeta error, the other kind's own type error ({@code illegal base64 data} of a
     * ConfigMap's data read as a Secret's), the conversion error, or the scheme's refusal of a kind it does not know.
     * Null when the patched object is still of the endpoint's version and kind (a missing kind or apiVersion reads as
     * the endpoint's) or another version of its kind (which converts).
     */
    private static String otherKind(Scope scope, ObjectNode patched) {
        String typeMeta = BodyDecoder.typeMetaError(patched);
        if (typeMeta != null) {
            return "couldn't get version/kind; json parse error: " + typeMeta;
        }
        var t = scope.served().type();
        String apiVersion = patched.path("apiVersion").asText("");
        String kind = patched.path("kind").asText("");
        kind = kind.isEmpty() ? t.kind() : kind;
        String group = t.group();
        String version = t.version();
        if (!apiVersion.isEmpty()) {
            String[] gv = apiVersion.split("/", -1);
            if (gv.length > 2) {
                return "unexpected GroupVersion string: " + apiVersion;
            }
            group = gv.length == 2 ? gv[0] : "";
            version = gv.length == 2 ? gv[1] : gv[0];
        }
        if (group.equals(t.group()) && version.equals(t.version()) && kind.equals(t.kind())) {
            return null;
        }
        boolean known =
                scope.registry().catalog().lookupKind(group, version, kind).isPresent();
        if (known) {
            DecodeType.Struct other =
                    scope.registry().typedSchemas().kind(group, version, kind).orElse(null);
            if (other != null) {
                String typeError = TypedDecoder.decode(patched, other).typeError();
                if (typeError != null) {
                    return typeError;
                }
            }
            if (kind.equals(t.kind())) {
                return null;
            }
        }
        return BodyDecoder.kindMismatch(group, version, kind, t.group(), t.kind(), known);
    }

    private static RuntimeException invalid(Supplier<String> value, String detail) {
        return FieldError.invalid("", "", "", List.of(FieldError.invalid("patch", value.get(), detail)));
    }
}
