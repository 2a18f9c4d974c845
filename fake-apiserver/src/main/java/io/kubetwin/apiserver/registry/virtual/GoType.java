package io.kubetwin.apiserver.registry.virtual;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The shape of a versioned Kubernetes API type as Go sees it, enough to decode a request body the way
 * kube-apiserver's JSON serializer does, and to write it back the way {@code encoding/json}
 * does (field order, {@code omitempty}, {@code null} for nil). A schema is a tree of these values; schemas
 * are immutable and shared.
 */
public sealed interface GoType {

    /** The Go type name printed in decode errors: {@code string}, {@code []string}, {@code v1.ResourceAttributes}. */
    String name();

    /** {@code string}. */
    record Str() implements GoType {
        @Override
        public String name() {
            return "string";
        }
    }

    /** {@code int64} or {@code int32}. */
    record Int(int bits) implements GoType {
        @Override
        public String name() {
            return "int" + bits;
        }
    }

    /** {@code bool}. */
    record Bool() implements GoType {
        @Override
        public String name() {
            return "bool";
        }
    }

    /** {@code metav1.Time}: RFC 3339 text; the zero time is null. */
    record Time() implements GoType {
        @Override
        public String name() {
            return "v1.Time";
        }
    }

    /** Any JSON, kept as sent ({@code metav1.FieldsV1}). */
    record Raw() implements GoType {
        @Override
        public String name() {
            return "v1.FieldsV1";
        }
    }

    /** A pointer: nil is JSON null; decode errors name the element type. */
    record Ptr(GoType elem) implements GoType {
        @Override
        public String name() {
            return elem.name();
        }
    }

    /** A slice; nil is JSON null. {@code name} is the Go type's name ({@code []string}, {@code v1.ExtraValue}). */
    record Slice(GoType elem, String name) implements GoType {
        public Slice(GoType elem) {
            this(elem, "[]" + elem.name());
        }
    }

    /** {@code map[string]V}; nil is JSON null; JSON output sorts keys, as Go does. */
    record MapOf(GoType value, String name) implements GoType {
        public MapOf(GoType value) {
            this(value, "map[string]" + value.name());
        }
    }

    /**
     * A struct. {@code name} is package-qualified ({@code v1.TokenReviewSpec}); fields are in Go declaration
     * order, which is the JSON output order.
     */
    record Struct(String name, List<Field> fields) implements GoType {
        public Struct {
            fields = List.copyOf(fields);
        }

        public static Struct of(String name, Field... fields) {
            return new Struct(name, Arrays.asList(fields));
        }

        /** The unqualified name, as decode errors print the enclosing struct. */
        public String simpleName() {
            int dot = name.lastIndexOf('.');
            return dot < 0 ? name : name.substring(dot + 1);
        }

        public Optional<Field> field(String json) {
            return fields.stream().filter(f -> f.json().equals(json)).findFirst();
        }
    }

    /**
     * One struct field.
     *
     * @param json the JSON name (matched case-sensitively, as Kubernetes' decoder does)
     * @param type the field's type
     * @param omit how {@code encoding/json} leaves it out
     */
    record Field(String json, GoType type, Omit omit) {}

    /** The JSON tag options that drop a field from the output. */
    enum Omit {
        /** always written (null for nil). */
        NEVER,
        /** {@code omitempty}: dropped when "", 0, false, nil or empty; structs are never empty. */
        EMPTY,
        /** {@code omitempty,omitzero} on a {@code metav1.Time}: dropped when the zero time. */
        ZERO
    }

    /** Commonly used leaves. */
    GoType STRING = new Str();

    GoType INT64 = new Int(64);
    GoType INT32 = new Int(32);
    GoType BOOL = new Bool();
    GoType TIME = new Time();
    GoType STRINGS = new Slice(STRING);

    static Field field(String json, GoType type) {
        return new Field(json, type, Omit.NEVER);
    }

    static Field optional(String json, GoType type) {
        return new Field(json, type, Omit.EMPTY);
    }
}
