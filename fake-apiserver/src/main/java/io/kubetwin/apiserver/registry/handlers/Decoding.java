package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.Meta;
import io.kubetwin.apiserver.registry.codec.BodyDecoder;
import io.kubetwin.apiserver.registry.codec.GoStringMaps;
import io.kubetwin.apiserver.registry.kinds.SecretStrategy;

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
        ObjectNode object = BodyDecoder.decode(scope.state().body().getBytes(), contentType, expected);
        String typeError = GoStringMaps.firstTypeError(
                object, type.group(), type.kind(), scope.strategy().unstructured());
        if (typeError != null) {
            throw BodyDecoder.cannotHandle(type.kind(), type.version(), typeError);
        }
        if (type.group().isEmpty() && "Secret".equals(type.kind())) {
            String bad = SecretStrategy.base64Error(object);
            if (bad != null) {
                throw BodyDecoder.cannotHandle("Secret", "v1", bad);
            }
        }
        if (type.group().isEmpty() && "ConfigMap".equals(type.kind())) {
            for (var value : object.path("binaryData")) {
                String bad = value.isTextual() ? SecretStrategy.base64Error(value.asText()) : null;
                if (bad != null) {
                    throw BodyDecoder.cannotHandle("ConfigMap", "v1", bad);
                }
            }
        }
        if ("admissionregistration.k8s.io".equals(type.group()) && type.kind().endsWith("WebhookConfiguration")) {
            // clientConfig.caBundle is a []byte: JSON carries it as base64, which the decoder must be able to read
            for (var hook : object.path("webhooks")) {
                var bundle = hook.path("clientConfig").path("caBundle");
                String bad = bundle.isTextual() ? SecretStrategy.base64Error(bundle.asText()) : null;
                if (bad != null) {
                    throw BodyDecoder.cannotHandle(type.kind(), type.version(), bad);
                }
            }
        }
        scope.state().requestObject(logged(scope, object.deepCopy()));
        return Conversion.toStored(scope.served(), object);
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
