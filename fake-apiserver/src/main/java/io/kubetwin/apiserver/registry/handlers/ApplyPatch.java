package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.api.YamlTree;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.apply.FieldManager;
import io.kubetwin.apiserver.registry.apply.WriteManager;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Server-side apply (handlers/patch.go applyPatcher): the body, YAML or JSON, is the applier's configuration;
 * {@code fieldManager} is required and {@code force} takes conflicting fields over. The configuration is merged
 * into the current object by the field manager, or into an empty one when the object does not exist, which the
 * apply then creates (201). Written as an update conditional on the version read, retried on conflict.
 */
final class ApplyPatch {
    static final String APPLY_YAML = "application/apply-patch+yaml";
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final int MAX_ATTEMPTS = 5;

    private ApplyPatch() {}

    /** The body as a map, or the 400 upstream answers for YAML it cannot read. */
    static ObjectNode decode(byte[] body) {
        JsonNode node;
        try {
            // sigs.k8s.io/yaml Unmarshal: go-yaml reads the body whatever it looks like (JSON is YAML)
            node = body.length == 0
                    ? null
                    : YamlTree.toJsonNode(YamlTree.parseYaml(new String(body, StandardCharsets.UTF_8)));
        } catch (YamlTree.SyntaxError e) {
            throw Statuses.badRequest("error decoding YAML: error converting YAML to JSON: " + e.getMessage());
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return YAML.createObjectNode();
        }
        if (!node.isObject()) {
            throw Statuses.badRequest("error decoding YAML: error unmarshaling JSON: while decoding JSON: json: "
                    + "cannot unmarshal " + (node.isArray() ? "array" : node.isTextual() ? "string" : "number")
                    + " into Go value of type map[string]interface {}");
        }
        return (ObjectNode) node;
    }

    /** ValidatePatchOptions for an apply: the field manager is required. */
    static void validateOptions(Scope scope) {
        String manager = scope.query("fieldManager");
        if (manager == null || manager.isEmpty()) {
            throw FieldError.invalid(
                    "meta.k8s.io",
                    "PatchOptions",
                    "",
                    List.of(FieldError.required("fieldManager", "is required for apply patch")));
        }
    }

    static Future<Result> apply(Scope scope, ObjectNode config) {
        return attempt(scope, config, 1);
    }

    /** The written object and whether the apply created it. */
    record Result(ObjectNode object, boolean created) {}

    private static Future<Result> attempt(Scope scope, ObjectNode config, int attempt) {
        GenericRegistry registry = scope.registry();
        String manager = scope.query("fieldManager");
        boolean force = "true".equals(scope.query("force"));
        return registry.get(scope.served(), scope.namespace(), scope.name())
                .map(current -> (ObjectNode) current)
                .recover(e -> e instanceof StatusException se && se.code() == 404
                        ? Future.succeededFuture(null)
                        : Future.failedFuture(e))
                .compose(current -> {
                    ObjectNode live = current == null ? null : Conversion.toServed(scope.served(), current.deepCopy());
                    FieldManager fm = registry.fieldManagers()
                            .forWrite(
                                    scope.served(),
                                    scope.strategy(),
                                    config,
                                    scope.subresource(),
                                    registry.clock().instant());
                    ObjectNode applied = fm.apply(live, config.deepCopy(), manager, force);
                    String name = applied.path("metadata").path("name").asText("");
                    if (!name.equals(scope.name())) {
                        throw Statuses.badRequest("the name of the object (" + name
                                + ") does not match the name on the URL (" + scope.name() + ")");
                    }
                    ObjectNode object = Conversion.toStored(scope.served(), applied);
                    if (current == null) {
                        ((ObjectNode) object.get("metadata")).remove("resourceVersion");
                        return registry.create(
                                        scope.served(),
                                        scope.namespace(),
                                        object,
                                        scope.user(),
                                        scope.dryRun(),
                                        WriteManager.applier(),
                                        scope.recorder())
                                .map(o -> new Result(o, true));
                    }
                    String sentVersion =
                            config.path("metadata").path("resourceVersion").asText("");
                    ((ObjectNode) object.get("metadata"))
                            .put(
                                    "resourceVersion",
                                    sentVersion.isEmpty()
                                            ? current.path("metadata")
                                                    .path("resourceVersion")
                                                    .asText("")
                                            : sentVersion);
                    return registry.update(
                                    scope.served(),
                                    scope.namespace(),
                                    scope.name(),
                                    object,
                                    scope.subresource(),
                                    scope.user(),
                                    scope.dryRun(),
                                    WriteManager.applier(),
                                    scope.recorder())
                            .map(o -> new Result(o, false))
                            .recover(e -> {
                                boolean retry = e instanceof StatusException se
                                        && se.code() == 409
                                        && sentVersion.isEmpty()
                                        && se.status().details() != null
                                        && se.status().details().causes() == null;
                                return retry && attempt < MAX_ATTEMPTS
                                        ? attempt(scope, config, attempt + 1)
                                        : Future.failedFuture(e);
                            });
                })
                // created meanwhile: apply to what was created (store.go retries Update the same way)
                .recover(e -> e instanceof StatusException se
                                && "AlreadyExists".equals(se.status().reason())
                                && attempt < MAX_ATTEMPTS
                        ? attempt(scope, config, attempt + 1)
                        : Future.failedFuture(e));
    }
}
