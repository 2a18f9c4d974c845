package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.MediaNegotiation;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.registry.Meta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata-only forms a client asks for with {@code as=PartialObjectMetadata} or
 * {@code as=PartialObjectMetadataList} (handlers/response.go asPartialObjectMetadata[List]), as the garbage
 * collector, the namespace controller and metadata informers read objects. The list form's items are null when
 * there are none, as Go marshals the nil slice.
 */
final class PartialObjectMetadataOutput {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private PartialObjectMetadataOutput() {}

    /** The negotiated metadata-only kind of this request ("PartialObjectMetadata[List]"), or null. */
    static MediaNegotiation.Target requested(Scope scope) {
        MediaNegotiation.Target target = OutputMediaType.negotiate(scope).target();
        return target != null && target.kind().startsWith("PartialObjectMetadata") ? target : null;
    }

    /** One object: only PartialObjectMetadata fits it. */
    static ObjectNode object(Scope scope, MediaNegotiation.Target target, ObjectNode object) {
        if (!target.kind().equals("PartialObjectMetadata")) {
            throw notAcceptable("you requested PartialObjectMetadataList, but the requested object is not a list ("
                    + goType(scope, false) + ")");
        }
        return partial(target, object);
    }

    /** A list: only PartialObjectMetadataList fits it. */
    static ObjectNode list(Scope scope, MediaNegotiation.Target target, List<ObjectNode> items, ObjectNode listMeta) {
        if (!target.kind().equals("PartialObjectMetadataList")) {
            throw notAcceptable("you requested PartialObjectMetadata, but the requested object is a list ("
                    + goType(scope, true) + ")");
        }
        ObjectNode list = F.objectNode();
        list.put("kind", "PartialObjectMetadataList");
        list.put("apiVersion", target.group() + "/" + target.version());
        ObjectNode meta = list.putObject("metadata");
        // metav1.ListMeta's field order, whatever order the handler built it in
        for (String field : List.of("resourceVersion", "continue", "remainingItemCount")) {
            JsonNode value = listMeta.get(field);
            if (value != null && !(value.isTextual() && value.asText().isEmpty())) {
                meta.set(field, value);
            }
        }
        if (items.isEmpty()) {
            list.putNull("items");
        } else {
            ArrayNode out = list.putArray("items");
            items.forEach(item -> out.add(partial(target, item)));
        }
        return list;
    }

    private static ObjectNode partial(MediaNegotiation.Target target, ObjectNode object) {
        ObjectNode partial = F.objectNode();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", target.group() + "/" + target.version());
        JsonNode meta = object.get("metadata");
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        if (meta != null) {
            meta.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        }
        // typed ObjectMeta: its field order, whatever order the stored object has
        ObjectNode ordered = partial.putObject("metadata");
        for (String k : Meta.ORDER) {
            if (fields.containsKey(k)) {
                ordered.set(k, fields.remove(k).deepCopy());
            }
        }
        fields.forEach((k, v) -> ordered.set(k, v.deepCopy()));
        return partial;
    }

    /**
     * The %T of the object upstream converts: the internal type of a built-in kind (package core for the
     * legacy group and for events.k8s.io, else the group's first label), unstructured for custom resources.
     */
    private static String goType(Scope scope, boolean list) {
        if (scope.strategy().unstructured()) {
            return list ? "*unstructured.UnstructuredList" : "*unstructured.Unstructured";
        }
        String group = scope.group();
        String pkg = group.isEmpty() || group.equals("events.k8s.io")
                ? "core"
                : group.contains(".") ? group.substring(0, group.indexOf('.')) : group;
        return "*" + pkg + "." + scope.served().type().kind() + (list ? "List" : "");
    }

    private static StatusException notAcceptable(String message) {
        return new StatusException(Status.failure(406, "NotAcceptable", message, null));
    }
}
