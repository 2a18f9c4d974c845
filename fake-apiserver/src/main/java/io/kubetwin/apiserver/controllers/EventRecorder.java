package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The legacy event recorder kube-controller-manager's workload controllers use (client-go tools/record): a core/v1
 * Event named {@code <object>.<UnixNano in hex>} in the object's namespace, with {@code source.component} and
 * {@code reportingComponent} the controller, {@code count} 1 and second-precision first and last timestamps, written
 * as the controller's ServiceAccount. Best effort, as upstream: a failed write is dropped. Not done: the recorder's
 * aggregation of repeated events into one with a higher count.
 */
final class EventRecorder {
    static final String NORMAL = "Normal";
    static final String WARNING = "Warning";

    private final GenericRegistry registry;
    private final String component;
    private final UserInfo identity;
    private final Clock clock;

    EventRecorder(GenericRegistry registry, String component, UserInfo identity) {
        this(registry, component, identity, registry.clock());
    }

    /** With the controller's own clock (the timestamps and the name's nanoseconds), for controllers tested on one. */
    EventRecorder(GenericRegistry registry, String component, UserInfo identity, Clock clock) {
        this.registry = registry;
        this.component = component;
        this.identity = identity;
        this.clock = clock;
    }

    /** Records a Normal or Warning event about {@code object}. */
    Future<Void> event(JsonNode object, String type, String reason, String message) {
        return event(object, object.path("apiVersion").asText(), type, reason, message);
    }

    /** Records an event about {@code object}, whose apiVersion is given (the stored object's may be absent). */
    Future<Void> event(JsonNode object, String apiVersion, String type, String reason, String message) {
        ServedResource events = registry.catalog().lookup("", "v1", "events").orElseThrow();
        Instant now = clock.instant();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        JsonNode meta = object.path("metadata");
        String namespace = meta.path("namespace").asText();
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("apiVersion", "v1");
        event.put("kind", "Event");
        event.putObject("metadata")
                .put("name", meta.path("name").asText() + "." + Long.toHexString(nanos))
                .put("namespace", namespace);
        ObjectNode involved = event.putObject("involvedObject");
        involved.put("kind", object.path("kind").asText());
        involved.put("namespace", namespace);
        involved.put("name", meta.path("name").asText());
        involved.put("uid", meta.path("uid").asText());
        involved.put("apiVersion", apiVersion);
        involved.put("resourceVersion", meta.path("resourceVersion").asText());
        event.put("reason", reason);
        event.put("message", message);
        event.putObject("source").put("component", component);
        event.put("firstTimestamp", timestamp);
        event.put("lastTimestamp", timestamp);
        event.put("count", 1);
        event.put("type", type);
        event.putNull("eventTime");
        event.put("reportingComponent", component);
        event.put("reportingInstance", "");
        return registry.create(events, namespace, event, identity, false)
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
    }
}
