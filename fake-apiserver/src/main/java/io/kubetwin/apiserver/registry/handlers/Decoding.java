package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.Meta;
import io.kubetwin.apiserver.registry.codec.BodyDecoder;
import io.kubetwin.apiserver.registry.codec.DecodeType;
import io.kubetwin.apiserver.registry.codec.GoStringMaps;
import io.kubetwin.apiserver.registry.codec.TypedDecoder;
import java.util.ArrayList;
import java.util.List;

/** Request bodies for create and update: size limit, media type, syntax and type checks, audit's requestObject. */
final class Decoding {
    private Decoding() {}

    /** The decoded body as an object of the resource's Kind; throws the StatusException to answer. */
    static ObjectNode body(Scope scope) {
        if (scope.state().bodyTooLarge()) {
            throw Statuses.requestEntityTooLarge("limit is 3145728");
        }
        String contentType = scope.rc().request().getHeader("Content-Type");
        BodyDecoder.checkMediaType(contentType);
        var type = scope.served().type();
        // ValidateCreateOptions / ValidateUpdateOptions run before the body is read
        FieldValidation validation = FieldValidation.of(
                scope, scope.rc().request().method().name().equals("POST") ? "CreateOptions" : "UpdateOptions");
        BodyDecoder.Expected expected = new BodyDecoder.Expected(
                type.group(),
                type.version(),
                type.kind(),
                (gv, kind) -> {
                    String[] parts = gv.split("/", 2);
                    String g = parts.length == 2 ? parts[0] : "";
                    String v = parts.length == 2 ? parts[1] : parts[0];
                    return scope.registry().catalog().lookupKind(g, v, kind).isPresent();
                },
                !scope.strategy().unstructured());
        DecodeType.Struct goType = scope.strategy().unstructured()
                ? null
                : scope.registry()
                        .typedSchemas()
                        .kind(type.group(), type.version(), type.kind())
                        .orElse(null);
        TypedDecoder.Result decoded =
                BodyDecoder.decode(scope.state().body().getBytes(), contentType, expected, goType);
        ObjectNode object = decoded.object();
        if (decoded.typeError() != null) {
            throw BodyDecoder.cannotHandle(type.kind(), type.version(), decoded.typeError());
        }
        if (goType != null) {
            validation.apply(
                    scope,
                    decoded.yamlDuplicates(),
                    decoded.strictErrors(),
                    why -> BodyDecoder.cannotHandle(type.kind(), type.version(), why));
        }
        if (goType == null) {
            untyped(scope, object, decoded, validation);
        }
        scope.state().requestObject(logged(scope, object.deepCopy()));
        return Conversion.toStored(scope.served(), object);
    }

    /**
     * Custom resources (apiextensions-apiserver's unstructured decoding): the body's duplicate fields, the metadata
     * decoded on its own into metav1.ObjectMeta ({@code ObjectMeta.labels} in type errors, {@code metadata.foo} as
     * unknown), then the fields the structural schema prunes as unknown fields. Other kinds without a recorded
     * type: the string maps of their metadata.
     */
    private static void untyped(
            Scope scope, ObjectNode object, TypedDecoder.Result decoded, FieldValidation validation) {
        var type = scope.served().type();
        if (!scope.strategy().unstructured()) {
            String typeError = GoStringMaps.firstTypeError(object, type.group(), type.kind(), false);
            if (typeError != null) {
                throw BodyDecoder.cannotHandle(type.kind(), type.version(), typeError);
            }
            return;
        }
        List<String> strict = new ArrayList<>();
        if (!BodyDecoder.isYaml(scope.rc().request().getHeader("Content-Type"))) {
            strict.addAll(TypedDecoder.duplicateFields(scope.state().body().getBytes()));
        }
        if (object.get("metadata") instanceof ObjectNode meta) {
            TypedDecoder.Result m = TypedDecoder.decodePart(
                    meta, scope.registry().typedSchemas().objectMeta(), "metadata");
            if (m.typeError() != null) {
                throw BodyDecoder.cannotHandle(type.kind(), type.version(), m.typeError());
            }
            strict.addAll(m.strictErrors());
            object.set("metadata", m.object());
        } else {
            String typeError = GoStringMaps.firstTypeError(object, type.group(), type.kind(), true);
            if (typeError != null) {
                throw BodyDecoder.cannotHandle(type.kind(), type.version(), typeError);
            }
        }
        scope.strategy().pruneUnknownFields(object).forEach(p -> strict.add("unknown field \"" + p + "\""));
        validation.apply(
                scope,
                decoded.yamlDuplicates(),
                strict,
                why -> BodyDecoder.cannotHandle(type.kind(), type.version(), why));
    }

    /**
     * Audit's requestObject: kube-apiserver logs the body as its codec decoded it, defaulted and encoded
     * again (LogRequestObject in create.go and update.go), so in the kind's field order with defaults.
     */
    private static ObjectNode logged(Scope scope, ObjectNode object) {
        if (Conversion.isEventsV1(scope.served()) || Conversion.isHpaV1(scope.served())) {
            return object; // defaulted in its stored form only
        }
        scope.strategy().applyDefaults(object);
        return Meta.canonical(object, scope.strategy());
    }
}
