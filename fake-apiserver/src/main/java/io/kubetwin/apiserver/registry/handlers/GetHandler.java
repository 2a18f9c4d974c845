package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.MediaNegotiation;
import io.kubetwin.apiserver.api.StatusException;
import java.util.List;

/** GET of one object (handlers/get.go GetResource), as JSON or as a Table. */
public final class GetHandler {
    private GetHandler() {}

    public static void handle(Scope scope) {
        scope.registry()
                .get(scope.served(), scope.namespace(), scope.name())
                .onSuccess(object -> {
                    String table = OutputMediaType.tableVersion(scope);
                    if (table != null) {
                        ObjectNode meta = JsonNodeFactory.instance.objectNode();
                        meta.put(
                                "resourceVersion",
                                object.path("metadata").path("resourceVersion").asText(""));
                        Responses.write(
                                scope.rc(),
                                200,
                                TableOutput.table(
                                        table,
                                        scope.strategy().table(),
                                        List.of(object),
                                        o -> Conversion.toServed(scope.served(), o),
                                        meta,
                                        scope.query("includeObject"),
                                        true,
                                        scope.registry().clock().instant()));
                        return;
                    }
                    MediaNegotiation.Target partial = PartialObjectMetadataOutput.requested(scope);
                    if (partial != null) {
                        try {
                            Responses.write(
                                    scope.rc(), 200, PartialObjectMetadataOutput.object(scope, partial, object));
                        } catch (StatusException e) {
                            Responses.fail(scope.rc(), e);
                        }
                        return;
                    }
                    ObjectNode out = Conversion.toServed(scope.served(), object);
                    OutputMediaType.write(scope, 200, out);
                })
                .onFailure(e -> Responses.fail(scope.rc(), e));
    }
}
