package io.kubetwin.apiserver.registry.handlers;

import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.request.ResponseWarnings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code fieldValidation} directive of a write (handlers/rest.go fieldValidation, create.go, update.go,
 * patch.go): absent means Warn; the strict-decoding errors of a body are then warnings ({@code Warning: 299 -
 * "unknown field \"spec.foo\""}), refused under Strict, dropped under Ignore. A type error fails the request under
 * every directive, before this step.
 */
enum FieldValidation {
    IGNORE,
    WARN,
    STRICT;

    static final List<String> SUPPORTED = List.of("", "Ignore", "Strict", "Warn");

    /**
     * The request's directive; a value outside {@link #SUPPORTED} is the options' 422
     * ({@code CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: ...}).
     *
     * @param options the options kind validated: CreateOptions, UpdateOptions or PatchOptions
     */
    static FieldValidation of(Scope scope, String options) {
        String value = scope.query("fieldValidation");
        if (value == null || value.isEmpty() || value.equals("Warn")) {
            return WARN;
        }
        if (value.equals("Strict")) {
            return STRICT;
        }
        if (value.equals("Ignore")) {
            return IGNORE;
        }
        throw FieldError.invalid(
                "meta.k8s.io", options, "", List.of(FieldError.notSupported("fieldValidation", value, SUPPORTED)));
    }

    /**
     * Applies the directive to the strict-decoding errors: warnings under Warn (a YAML body's duplicate keys one
     * each, then the decoder's); under Strict the error {@code refuse} builds from {@code strict decoding error:
     * <errors joined by ", ">}, the duplicate keys first as go-yaml's one {@code yaml: unmarshal errors:} error.
     */
    void apply(
            Scope scope,
            List<String> yamlDuplicates,
            List<String> strictErrors,
            Function<String, StatusException> refuse) {
        if ((strictErrors.isEmpty() && yamlDuplicates.isEmpty()) || this == IGNORE) {
            return;
        }
        if (this == STRICT) {
            List<String> all = new ArrayList<>();
            if (!yamlDuplicates.isEmpty()) {
                all.add(yamlErrors(yamlDuplicates));
            }
            all.addAll(strictErrors);
            throw refuse.apply("strict decoding error: " + String.join(", ", all));
        }
        yamlDuplicates.forEach(w -> ResponseWarnings.add(scope.rc(), w));
        strictErrors.forEach(w -> ResponseWarnings.add(scope.rc(), w));
    }

    /** go-yaml's yaml.TypeError text. */
    static String yamlErrors(List<String> duplicates) {
        return "yaml: unmarshal errors:\n  " + String.join("\n  ", duplicates);
    }
}
