package io.kubetwin.apiserver.registry.codec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The Go type a request body's value is decoded into, as kube-apiserver's JSON decoder (sigs.k8s.io/json) sees it:
 * enough to report its type errors with Go's names ({@code int32}, {@code []v1.ContainerPort},
 * {@code v1.ResourceList}) and its strict-decoding errors. Built by {@link TypedSchemas} from the recorded OpenAPI
 * documents; immutable apart from the lazily resolved fields of a struct, shared and thread-safe.
 */
public sealed interface DecodeType permits DecodeType.Scalar, DecodeType.Slice, DecodeType.MapOf, DecodeType.Struct {

    /** The Go type name printed in {@code ... of type <name>}. */
    String goName();

    /** The scalar kinds, including the types with their own UnmarshalJSON. */
    enum Kind {
        STRING,
        BOOL,
        INT32,
        INT64,
        FLOAT,
        /** {@code []byte}: base64 text. */
        BYTES,
        /** intstr.IntOrString: a string, else decoded as an int32. */
        INT_OR_STRING,
        /** resource.Quantity: a string or number that parses as a quantity. */
        QUANTITY,
        /** metav1.Time: RFC 3339 text. */
        TIME,
        /** metav1.MicroTime: RFC 3339 text with microseconds. */
        MICRO_TIME,
        /** any JSON, kept as sent (RawExtension, FieldsV1, schemaless objects, other custom decoders). */
        ANY
    }

    record Scalar(Kind kind, String goName) implements DecodeType {}

    record Slice(DecodeType elem, String goName) implements DecodeType {}

    record MapOf(DecodeType elem, String goName) implements DecodeType {}

    /** A struct whose fields are resolved on first use (the schemas are recursive and large). */
    final class Struct implements DecodeType {
        private static final Object UNKNOWN = new Object();
        private final String simpleName;
        private final String goName;
        private final Function<String, DecodeType> resolve;
        private final Map<String, Object> fields = new ConcurrentHashMap<>();

        /** {@code resolve} answers a JSON field's type, or null for a field the struct does not have. */
        Struct(String simpleName, String goName, Function<String, DecodeType> resolve) {
            this.simpleName = simpleName;
            this.goName = goName;
            this.resolve = resolve;
        }

        /** The unqualified name, as type errors print the enclosing struct ({@code DeploymentSpec}). */
        public String simpleName() {
            return simpleName;
        }

        @Override
        public String goName() {
            return goName;
        }

        /** The type of a field, matched case-sensitively as Kubernetes' decoder does; null when unknown. */
        public DecodeType field(String json) {
            Object t = fields.get(json);
            if (t == null) {
                DecodeType resolved = resolve.apply(json);
                t = resolved == null ? UNKNOWN : resolved;
                fields.putIfAbsent(json, t);
            }
            return t == UNKNOWN ? null : (DecodeType) t;
        }
    }
}
