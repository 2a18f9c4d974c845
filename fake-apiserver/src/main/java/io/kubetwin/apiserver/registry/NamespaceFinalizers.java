package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.ObjectMetaValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation of a write through {@code namespaces/finalize} (pkg/apis/core/validation ValidateNamespaceFinalizeUpdate
 * with validateFinalizerName): every spec.finalizers entry is a qualified name, and one without a '/' must be a
 * standard finalizer name ({@code kubernetes}, helper.IsStandardFinalizerName).
 */
final class NamespaceFinalizers {
    private NamespaceFinalizers() {}

    static List<FieldError> validate(ObjectNode namespace) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode finalizers = namespace.path("spec").path("finalizers");
        for (int i = 0; i < finalizers.size(); i++) {
            String value = finalizers.get(i).asText();
            String field = "spec.finalizers[" + i + "]";
            for (String msg : ObjectMetaValidation.isQualifiedName(value)) {
                errors.add(FieldError.invalid(field, value, msg));
            }
            if (!value.contains("/") && !"kubernetes".equals(value)) {
                errors.add(FieldError.invalid(
                        field, value, "name is neither a standard finalizer name nor is it fully qualified"));
            }
        }
        return errors;
    }
}
