package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The core/v1 Events a workload controller records about its object, in the shape client-go's event recorder
 * (tools/record/event.go, makeEvent and generateEvent) gives them on the reference: named
 * {@code <object>.<unix nanos in hex>}, {@code count: 1}, first and last timestamps, the involved object's
 * apiVersion, kind, name, namespace, resourceVersion and uid, {@code source.component} and
 * {@code reportingComponent} the controller's name, an empty {@code reportingInstance}. Written as the controller's
 * identity; a refused event is dropped, as the recorder drops it (it never fails the sync).
 */
final class WorkloadEvents {
    static final String NORMAL = "Normal";
    static final String WARNING = "Warning";

    private final GenericRegistry registry;
    private final String component;
    private final UserInfo identity;
    private final Clock clock;

    WorkloadEvents(GenericRegistry registry, String component, UserInfo identity, Clock clock) {
        this.registry = registry;
        this.component = component;
        this.identity = identity;
        this.clock = clock;
    }

    /** Records one event about {@code object} (of {@code apiVersion}); completes when written or dropped. */
    Future<Void> record(ObjectNode object, String apiVersion, String type, String reason, String message) {
        ServedResource events = registry.catalog().lookup("", "v1", "events").orElseThrow();
        Instant now = clock.instant();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        ObjectNode meta = (ObjectNode) object.path("metadata");
        String namespace = meta.path("namespace").asText("default");
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("apiVersion", "v1").put("kind", "Event");
        event.putObject("metadata")
                .put("name", meta.path("name").asText() + "." + Long.toHexString(nanos))
                .put("namespace", namespace);
        ObjectNode involved = event.putObject("involvedObject");
        involved.put("kind", object.path("kind").asText())
                .put("namespace", namespace)
                .put("name", meta.path("name").asText())
                .put("uid", meta.path("uid").asText())
                .put("apiVersion", apiVersion)
                .put("resourceVersion", meta.path("resourceVersion").asText());
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        event.put("reason", reason)
                .put("message", message)
                .put("firstTimestamp", timestamp)
                .put("lastTimestamp", timestamp)
                .put("count", 1)
                .put("type", type)
                .put("reportingComponent", component)
                .put("reportingInstance", "");
        event.putObject("source").put("component", component);
        return registry.create(events, namespace, event, identity, false)
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
    }
}
