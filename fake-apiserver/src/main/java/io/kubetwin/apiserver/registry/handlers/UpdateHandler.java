package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Statuses;

/**
 * PUT of one object or its status (handlers/update.go UpdateResource): 200 with the stored object, or 201
 * when a kind that allows create-on-update was created.
 */
public final class UpdateHandler {
    private UpdateHandler() {}

    public static void handle(Scope scope) {
        try {
            WriteOptions.validate(scope, "UpdateOptions");
        } catch (RuntimeException e) {
            Responses.fail(scope.rc(), e);
            return;
        }
        ObjectNode body;
        try {
            body = Decoding.body(scope);
            String objectName = body.path("metadata").path("name").asText("");
            if (!objectName.equals(scope.name())) {
                throw Statuses.badRequest("the name of the object (" + objectName
                        + ") does not match the name on the URL (" + scope.name() + ")");
            }
        } catch (RuntimeException e) {
            Responses.fail(scope.rc(), e);
            return;
        }
        scope.registry()
                .updateOrCreate(
                        scope.served(),
                        scope.namespace(),
                        scope.name(),
                        body,
                        scope.subresource(),
                        scope.user(),
                        scope.dryRun(),
                        Scope.manager(scope),
                        scope.recorder())
                .onSuccess(w -> Responses.write(
                        scope.rc(), w.created() ? 201 : 200, Conversion.toServed(scope.served(), w.object())))
                .onFailure(e -> Responses.fail(scope.rc(), e));
    }
}
