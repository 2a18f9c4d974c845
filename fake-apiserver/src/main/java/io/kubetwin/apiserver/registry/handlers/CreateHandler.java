package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** POST to a collection (handlers/create.go CreateResource): 201 with the stored object. */
public final class CreateHandler {
    private CreateHandler() {}

    public static void handle(Scope scope) {
        try {
            WriteOptions.validate(scope, "CreateOptions");
        } catch (RuntimeException e) {
            Responses.fail(scope.rc(), e);
            return;
        }
        ObjectNode body;
        try {
            body = Decoding.body(scope);
        } catch (RuntimeException e) {
            Responses.fail(scope.rc(), e);
            return;
        }
        String namespace = scope.namespace();
        if (scope.served().type().group().isEmpty() && "namespaces".equals(scope.resource())) {
            namespace = "";
        }
        scope.registry()
                .create(
                        scope.served(),
                        namespace,
                        body,
                        scope.user(),
                        scope.dryRun(),
                        Scope.manager(scope),
                        scope.recorder())
                .onSuccess(created -> Responses.write(scope.rc(), 201, Conversion.toServed(scope.served(), created)))
                .onFailure(e -> Responses.fail(scope.rc(), e));
    }
}
