package io.kubetwin.apiserver.registry.virtual;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.kubetwin.apiserver.registry.codec.BodyDecoder;
import io.kubetwin.apiserver.registry.validation.FieldError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What kube-apiserver's create handler (k8s.io/apiserver/pkg/endpoints/handlers/create.go) does with a body
 * before it calls a storage-less REST {@code Create}: checks the create options ({@code fieldManager},
 * {@code dryRun}, {@code fieldValidation}), decodes the
 * body into the versioned type (type errors and, under {@code fieldValidation=Strict}, unknown and duplicate
 * fields are 400s; by default they are warnings), applies defaults, reconciles {@code metadata.namespace} with
 * the URL (rest.EnsureObjectNamespaceMatchesRequestNamespace) and lets the field manager record
 * {@code metadata.managedFields}. Stateless and thread-safe.
 */
public final class VirtualCreate {
    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonFactory YAML = new YAMLFactory();
    private static final List<String> FIELD_VALIDATION = List.of("", "Ignore", "Strict", "Warn");
    private static final int MAX_FIELD_MANAGER_LENGTH = 128;

    /**
     * A kind served by a virtual resource.
     *
     * @param type the versioned type's schema (see {@link KubeTypes#object})
     * @param namespaced whether the URL carries the object's namespace
     * @param defaulter the scheme's defaulting functions, applied to the decoded value in place
     */
    public record Kind(
            String group,
            String version,
            String kind,
            GoType.Struct type,
            boolean namespaced,
            Consumer<ObjectNode> defaulter) {
        public Kind(String group, String version, String kind, GoType.Struct type, boolean namespaced) {
            this(group, version, kind, type, namespaced, o -> {});
        }

        public String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        /** What {@code json.Marshal} writes for a value of this kind. */
        public ObjectNode encode(JsonNode value) {
            return (ObjectNode) GoValues.encode(value, type);
        }

        /** The decode failure {@code <Kind> in version "<v>" cannot be handled as a <Kind>: <why>}. */
        public StatusException cannotHandle(String why) {
            return BodyDecoder.cannotHandle(kind, version, why);
        }
    }

    private VirtualCreate() {}

    /**
     * The decoded object as the REST storage receives it: a Go value of {@code kind.type()} (every field present,
     * nil as null) with kind/apiVersion set, defaults applied, the namespace reconciled and managedFields
     * recorded. Throws the StatusException to answer for bad options, undecodable bodies or a namespace mismatch.
     */
    public static ObjectNode decode(VirtualResource.Call call, Kind kind, Instant now) {
        VirtualResource.Request request = call.request();
        String validation = request.fieldValidation();
        List<FieldError> optionErrors = createOptions(request);
        if (!optionErrors.isEmpty()) {
            throw FieldError.invalid("meta.k8s.io", "CreateOptions", "", optionErrors);
        }
        GoJsonDecoder.Result decoded = decodeBody(call, kind);
        if (decoded.typeError() != null) {
            throw kind.cannotHandle(decoded.typeError());
        }
        // protobuf has no unknown or duplicate fields to report (what reaches here was named by the schema)
        if (!decoded.strictErrors().isEmpty() && !request.protobuf()) {
            if (validation.equals("Strict")) {
                throw kind.cannotHandle("strict decoding error: " + String.join(", ", decoded.strictErrors()));
            }
            if (!validation.equals("Ignore")) {
                decoded.strictErrors().forEach(request.warnings());
            }
        }
        ObjectNode value = decoded.value();
        value.put("kind", kind.kind());
        value.put("apiVersion", kind.apiVersion());
        kind.defaulter().accept(value);
        // audit's requestObject is the decoded, defaulted object (handlers/create.go LogRequestObject)
        call.state().requestObject(kind.encode(value));

        ObjectNode meta = (ObjectNode) value.get("metadata");
        String namespace = GoValues.text(meta, "namespace");
        if (!kind.namespaced()) {
            meta.put("namespace", "");
        } else if (namespace.isEmpty()) {
            meta.put("namespace", call.namespace());
        } else if (!namespace.equals(call.namespace())) {
            throw Statuses.badRequest(
                    "the namespace of the provided object does not match the namespace sent on the request");
        }

        ArrayNode managed = GoValues.NODES.arrayNode();
        ManagedFields.entry(
                        kind.encode(value),
                        kind.encode(GoValues.zero(kind.type())),
                        ManagedFields.manager(request.fieldManager(), request.userAgent()),
                        kind.apiVersion(),
                        now,
                        call.subresource())
                .ifPresent(managed::add);
        meta.set("managedFields", managed.isEmpty() ? GoValues.NODES.nullNode() : managed);
        return value;
    }

    /** metav1validation.ValidateCreateOptions: fieldManager, dryRun, fieldValidation. */
    private static List<FieldError> createOptions(VirtualResource.Request request) {
        List<FieldError> errs = new ArrayList<>();
        String manager = request.fieldManager();
        if (manager.getBytes(StandardCharsets.UTF_8).length > MAX_FIELD_MANAGER_LENGTH) {
            errs.add(FieldError.tooLong("fieldManager", MAX_FIELD_MANAGER_LENGTH));
        }
        for (int i = 0, bytes = 0; i < manager.length(); ) {
            int cp = manager.codePointAt(i);
            if (Character.isISOControl(cp) || !Character.isDefined(cp)) {
                errs.add(FieldError.invalid(
                        "fieldManager",
                        manager,
                        String.format("invalid character U+%04X (at position %d)", cp, bytes)));
            }
            bytes += new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            i += Character.charCount(cp);
        }
        if (!request.dryRun().stream().allMatch("All"::equals)) {
            errs.add(FieldError.notSupported("dryRun", request.dryRun(), List.of("All")));
        }
        if (!FIELD_VALIDATION.contains(request.fieldValidation())) {
            errs.add(FieldError.notSupported("fieldValidation", request.fieldValidation(), FIELD_VALIDATION));
        }
        return errs;
    }

    private static GoJsonDecoder.Result decodeBody(VirtualResource.Call call, Kind kind) {
        if (call.request().protobuf() || call.state().body().length() == 0) {
            // protobuf bodies arrive decoded by the registry's codec; protobuf has no strict errors
            return GoJsonDecoder.decode(call.body() == null ? GoValues.NODES.objectNode() : call.body(), kind.type());
        }
        byte[] raw = call.state().body().getBytes();
        JsonFactory factory = BodyDecoder.isYaml(call.request().contentType()) ? YAML : JSON;
        try (JsonParser parser = factory.createParser(raw)) {
            return GoJsonDecoder.decode(parser, kind.type());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
