package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The default class of a class-like kind (GetDefaultClass in pkg/volume/util/storageclass.go and
 * getDefaultClass in the DefaultIngressClass plugin): among the objects annotated {@code "true"} with one
 * of the default annotations, the newest, ties broken by name.
 */
public final class DefaultClasses {
    private DefaultClasses() {}

    public static Future<Optional<String>> newest(Storage storage, ResourceKey kind, List<String> annotations) {
        return storage.list(kind, null)
                .map(list -> list.items().stream()
                        .filter(o -> annotations.stream()
                                .anyMatch(a -> "true"
                                        .equals(o.path("metadata")
                                                .path("annotations")
                                                .path(a)
                                                .asText(""))))
                        .sorted(Comparator.comparing((ObjectNode o) -> created(o))
                                .reversed()
                                .thenComparing(
                                        o -> o.path("metadata").path("name").asText()))
                        .map(o -> o.path("metadata").path("name").asText())
                        .findFirst());
    }

    private static String created(JsonNode o) {
        // RFC 3339 in UTC with whole seconds: the text orders as the time does
        return o.path("metadata").path("creationTimestamp").asText("");
    }
}
