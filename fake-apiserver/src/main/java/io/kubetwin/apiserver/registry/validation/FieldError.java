package io.kubetwin.apiserver.registry.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.List;

/**
 * One field validation error (field.Error in k8s.io/apimachinery/pkg/util/validation/field/errors.go),
 * rendered exactly as upstream: {@code <field>: <Type>[: <value>][: <detail>]}.
 *
 * @param type the error type
 * @param field the field path ("metadata.name", "data[tls.crt]")
 * @param badValue the offending value: a String, Long/Integer/Boolean, a JsonNode, or {@link #OMIT}; null for types that print none
 * @param detail extra detail, "" for none
 */
public record FieldError(Type type, String field, Object badValue, String detail) {

    /** A bad value that is not printed (field.OmitValueType). */
    public static final Object OMIT = new Object();

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Type {
        NOT_FOUND("FieldValueNotFound", "Not found", true),
        REQUIRED("FieldValueRequired", "Required value", false),
        DUPLICATE("FieldValueDuplicate", "Duplicate value", true),
        INVALID("FieldValueInvalid", "Invalid value", true),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value", true),
        FORBIDDEN("FieldValueForbidden", "Forbidden", false),
        TOO_LONG("FieldValueTooLong", "Too long", false),
        TOO_MANY("FieldValueTooMany", "Too many", true),
        TYPE_INVALID("FieldValueTypeInvalid", "Invalid value", true);

        final String reason;
        final String text;
        final boolean printsValue;

        Type(String reason, String text, boolean printsValue) {
            this.reason = reason;
            this.text = text;
            this.printsValue = printsValue;
        }
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(Type.INVALID, field, value, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    public static FieldError notSupported(String field, Object value, List<String> supported) {
        StringBuilder detail = new StringBuilder();
        if (!supported.isEmpty()) {
            detail.append("supported values: ");
            for (int i = 0; i < supported.size(); i++) {
                detail.append(i > 0 ? ", " : "")
                        .append('"')
                        .append(supported.get(i))
                        .append('"');
            }
        }
        return new FieldError(Type.NOT_SUPPORTED, field, value, detail.toString());
    }

    public static FieldError duplicate(String field, Object value) {
        return new FieldError(Type.DUPLICATE, field, value, "");
    }

    /** field.TooLong(path, value, max): "Too long: may not be more than N bytes". */
    public static FieldError tooLong(String field, int max) {
        return new FieldError(Type.TOO_LONG, field, null, "may not be more than " + max + " bytes");
    }

    /** field.TooMany(path, actual, max): "Too many: N: must have at most M items". */
    public static FieldError tooMany(String field, int actual, int max) {
        return new FieldError(Type.TOO_MANY, field, actual, "must have at most " + max + " items");
    }

    /** The message without the field (ErrorBody). */
    public String body() {
        StringBuilder s = new StringBuilder(type.text);
        if (type.printsValue && badValue != OMIT) {
            s.append(": ").append(render(badValue));
        }
        if (detail != null && !detail.isEmpty()) {
            s.append(": ").append(detail);
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return field + ": " + body();
    }

    public Status.Cause cause() {
        return new Status.Cause(type.reason, body(), field);
    }

    private static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return GoText.quote(s);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        try {
            return JSON.writeValueAsString(value instanceof JsonNode n ? n : JSON.valueToTree(value));
        } catch (Exception e) {
            return String.valueOf(value);
        }
    }

    /**
     * The 422 for a list of errors (errors.NewInvalid): every error is a cause, repeats included; the
     * message lists each text once, as ErrorList.ToAggregate does.
     */
    public static StatusException invalid(String group, String kind, String name, List<FieldError> errors) {
        List<Status.Cause> causes = new ArrayList<>();
        for (FieldError e : errors) {
            causes.add(e.cause());
        }
        return Statuses.invalid(group, kind, name == null ? "" : name, causes);
    }
}
