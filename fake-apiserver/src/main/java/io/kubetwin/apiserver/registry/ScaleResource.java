package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.patch.MergePatch;
import io.kubetwin.apiserver.registry.table.Selectors;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code scale} subresource: an autoscaling/v1 Scale read from and written to an object's replicas
 * paths. Custom resources name them in their CRD (apiextensions-apiserver pkg/registry/customresource/etcd.go
 * ScaleREST); Deployments, ReplicaSets, StatefulSets and ReplicationControllers use {@link #BUILT_IN}
 * (pkg/registry/apps/deployment/storage ScaleREST and its siblings), whose selector is the spec's label
 * selector as text. GET, PUT, and PATCH with a merge patch (what {@code kubectl scale} sends). Thread-safe.
 */
public final class ScaleResource implements VirtualResource {
    /** The paths of the built-in scalable kinds. */
    public static final JsonNode BUILT_IN = JsonNodeFactory.instance
            .objectNode()
            .put("specReplicasPath", ".spec.replicas")
            .put("statusReplicasPath", ".status.replicas")
            .put("labelSelectorPath", ".spec.selector");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final GenericRegistry registry;
    private final String group;
    private final String plural;
    private final Function<String, JsonNode> scalePaths;

    /**
     * @param scalePaths from "group/plural" to the paths ({@code specReplicasPath}, {@code statusReplicasPath},
     *     {@code labelSelectorPath}), or null when the resource has no scale subresource (any more)
     */
    public ScaleResource(GenericRegistry registry, String group, String plural, Function<String, JsonNode> scalePaths) {
        this.registry = registry;
        this.group = group;
        this.plural = plural;
        this.scalePaths = scalePaths;
    }

    @Override
    public BodyKind bodyKind() {
        return new BodyKind("autoscaling", "v1", "Scale");
    }

    @Override
    public Future<Answer> handle(Call call) {
        ServedResource served =
                registry.catalog().lookupAnyVersion(group, plural).orElse(null);
        JsonNode paths = scalePaths.apply(group + "/" + plural);
        if (served == null || paths == null) {
            return Future.failedFuture(Statuses.pathNotFound());
        }
        return registry.get(served, call.namespace(), call.name()).compose(object -> switch (call.verb()) {
            case "get" ->
                at(object, text(paths, "specReplicasPath")) == null
                        ? Future.failedFuture(Statuses.internalError("the spec replicas field "
                                + GoText.quote(text(paths, "specReplicasPath")) + " does not exist"))
                        : Future.succeededFuture(new Answer(200, scale(object, paths)));
            case "update", "patch" -> write(call, served, object, paths);
            default -> Future.failedFuture(Statuses.methodNotSupported(group, plural + "/scale", call.verb()));
        });
    }

    private Future<Answer> write(Call call, ServedResource served, ObjectNode object, JsonNode paths) {
        JsonNode desired =
                "patch".equals(call.verb()) ? MergePatch.apply(scale(object, paths), call.body()) : call.body();
        String name = desired.path("metadata").path("name").asText("");
        if ("update".equals(call.verb()) && !name.equals(call.name())) {
            return Future.failedFuture(Statuses.badRequest(
                    "the name of the object (" + name + ") does not match the name on the URL (" + call.name() + ")"));
        }
        long replicas = desired.path("spec").path("replicas").asLong(0);
        if (replicas < 0) {
            return Future.failedFuture(FieldError.invalid(
                    "autoscaling",
                    "Scale",
                    call.name(),
                    List.of(FieldError.invalid("spec.replicas", replicas, "must be greater than or equal to 0"))));
        }
        ObjectNode updated = object.deepCopy();
        String rv = desired.path("metadata").path("resourceVersion").asText("");
        ((ObjectNode) updated.get("metadata")).put("resourceVersion", rv);
        set(updated, text(paths, "specReplicasPath"), replicas);
        return registry.update(served, call.namespace(), call.name(), updated, "scale", call.user(), call.dryRun())
                .map(stored -> new Answer(200, scale(stored, paths)));
    }

    /** scaleFromCustomResource. */
    static ObjectNode scale(JsonNode object, JsonNode paths) {
        ObjectNode scale = JSON.objectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode meta = scale.putObject("metadata");
        JsonNode m = object.path("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (m.hasNonNull(f) && !m.get(f).asText().isEmpty()) {
                meta.set(f, m.get(f));
            }
        }
        ObjectNode spec = scale.putObject("spec");
        JsonNode specReplicas = at(object, text(paths, "specReplicasPath"));
        if (specReplicas != null && specReplicas.asLong() != 0) {
            spec.put("replicas", specReplicas.asLong());
        }
        ObjectNode status = scale.putObject("status");
        JsonNode statusReplicas = at(object, text(paths, "statusReplicasPath"));
        status.put("replicas", statusReplicas == null ? 0 : statusReplicas.asLong());
        JsonNode selector = at(object, text(paths, "labelSelectorPath"));
        String selectorText = selector == null
                ? ""
                : selector.isTextual()
                        ? selector.asText()
                        : selector.has("matchLabels") || selector.has("matchExpressions")
                                ? Selectors.selector(selector)
                                : Selectors.labelSet(selector);
        if (!selectorText.isEmpty()) {
            status.put("selector", selectorText);
        }
        return scale;
    }

    private static String text(JsonNode paths, String field) {
        return paths.path(field).asText("");
    }

    private static JsonNode at(JsonNode object, String path) {
        if (path.isEmpty()) {
            return null;
        }
        JsonNode current = object;
        for (String f : path.substring(1).split("\\.")) {
            current = current == null ? null : current.get(f);
        }
        return current == null || current.isNull() ? null : current;
    }

    private static void set(ObjectNode object, String path, long value) {
        String[] fields = path.substring(1).split("\\.");
        ObjectNode current = object;
        for (int i = 0; i < fields.length - 1; i++) {
            current = current.get(fields[i]) instanceof ObjectNode o ? o : current.putObject(fields[i]);
        }
        // an int when it fits, as JSON decoding makes numbers: a later update sending the same number is no change
        if (value == (int) value) {
            current.put(fields[fields.length - 1], (int) value);
        } else {
            current.put(fields[fields.length - 1], value);
        }
    }
}
