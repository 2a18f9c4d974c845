package io.kubetwin.apiserver.registry.handlers;

import io.kubetwin.apiserver.registry.validation.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The query options every write carries, checked before its body is read, as metav1's validation checks them
 * (k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go: ValidateCreateOptions, ValidateUpdateOptions,
 * ValidateFieldManager, ValidateDryRun, ValidateFieldValidation): a 422 on {@code CreateOptions.meta.k8s.io ""}
 * (or UpdateOptions, DeleteOptions) that stores nothing.
 */
final class WriteOptions {
    /** FieldManagerMaxLength. */
    private static final int FIELD_MANAGER_MAX_LENGTH = 128;

    private WriteOptions() {}

    /** The create or update options' errors; throws the 422 when there are any. */
    static void validate(Scope scope, String kind) {
        List<FieldError> errors = new ArrayList<>(fieldManager(scope.query("fieldManager")));
        errors.addAll(dryRun(scope.state().query().all("dryRun")));
        String validation = scope.query("fieldValidation");
        if (validation != null && !List.of("", "Ignore", "Strict", "Warn").contains(validation)) {
            errors.add(FieldError.notSupported("fieldValidation", validation, List.of("", "Ignore", "Strict", "Warn")));
        }
        if (!errors.isEmpty()) {
            throw FieldError.invalid("meta.k8s.io", kind, "", errors);
        }
    }

    /** ValidateDryRun: every value must be All. */
    static List<FieldError> dryRun(List<String> values) {
        return values.stream().allMatch("All"::equals)
                ? List.of()
                : List.of(FieldError.notSupported("dryRun", values, List.of("All")));
    }

    /** ValidateFieldManager: at most 128 bytes, every rune printable (unicode.IsPrint). */
    static List<FieldError> fieldManager(String manager) {
        if (manager == null) {
            return List.of();
        }
        List<FieldError> errors = new ArrayList<>();
        byte[] utf8 = manager.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (utf8.length > FIELD_MANAGER_MAX_LENGTH) {
            errors.add(FieldError.tooLong("fieldManager", FIELD_MANAGER_MAX_LENGTH));
        }
        int bytePosition = 0;
        for (int i = 0; i < manager.length(); ) {
            int rune = manager.codePointAt(i);
            if (!printable(rune)) {
                errors.add(FieldError.invalid(
                        "fieldManager",
                        manager,
                        String.format("invalid character U+%04X (at position %d)", rune, bytePosition)));
            }
            bytePosition +=
                    new String(Character.toChars(rune)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            i += Character.charCount(rune);
        }
        return errors;
    }

    /** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean printable(int rune) {
        if (rune == ' ') {
            return true;
        }
        return switch (Character.getType(rune)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED,
                    Character.SPACE_SEPARATOR,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }
}
