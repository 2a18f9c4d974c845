package io.kubetwin.apiserver.registry.handlers;

import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.request.ResponseWarnings;
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
     * Applies the directive to the strict-decoding errors: warnings under Warn; under Strict the error {@code refuse}
     * builds from {@code strict decoding error: <errors joined by ", ">}.
     */
    void apply(Scope scope, List<String> strictErrors, Function<String, StatusException> refuse) {
        if (strictErrors.isEmpty() || this == IGNORE) {
            return;
        }
        if (this == STRICT) {
            throw refuse.apply("strict decoding error: " + String.join(", ", strictErrors));
        }
        strictErrors.forEach(w -> ResponseWarnings.add(scope.rc(), w));
    }
}
