package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Core v1 events (pkg/registry/core/event/strategy.go): the involvedObject.* and reason/source/type selectors. */
public final class EventStrategy implements ResourceStrategy {
    /** events.k8s.io/v1 field labels and the core selectable fields they read (pkg/apis/events/v1/conversion.go). */
    private static final Map<String, String> EVENTS_V1_LABELS = Map.ofEntries(
            Map.entry("reason", "reason"),
            Map.entry("regarding.kind", "involvedObject.kind"),
            Map.entry("regarding.namespace", "involvedObject.namespace"),
            Map.entry("regarding.name", "involvedObject.name"),
            Map.entry("regarding.uid", "involvedObject.uid"),
            Map.entry("regarding.apiVersion", "involvedObject.apiVersion"),
            Map.entry("regarding.resourceVersion", "involvedObject.resourceVersion"),
            Map.entry("regarding.fieldPath", "involvedObject.fieldPath"),
            Map.entry("reportingController", "reportingComponent"),
            Map.entry("type", "type"),
            Map.entry("metadata.namespace", "metadata.namespace"),
            Map.entry("metadata.name", "metadata.name"));

    private final boolean eventsV1;

    /** The core/v1 events strategy. */
    public EventStrategy() {
        this(false);
    }

    /** @param eventsV1 whether this serves events.k8s.io/v1 (its field labels differ) */
    public EventStrategy(boolean eventsV1) {
        this.eventsV1 = eventsV1;
    }

    @Override
    public String mapFieldLabel(String label) {
        return eventsV1 ? EVENTS_V1_LABELS.getOrDefault(label, label) : label;
    }

    /** The core/v1 Event fields without omitempty always serialise, as null or {} when unset. */
    @Override
    public void applyDefaults(ObjectNode event) {
        if (!event.has("source")) {
            event.putObject("source");
        }
        for (String f : new String[] {"firstTimestamp", "lastTimestamp", "eventTime"}) {
            if (!event.has(f)) {
                event.putNull(f);
            }
        }
    }

    @Override
    public Map<String, Function<ObjectNode, String>> selectableFields() {
        Map<String, Function<ObjectNode, String>> m = new LinkedHashMap<>();
        for (String f :
                new String[] {"kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"}) {
            m.put("involvedObject." + f, o -> o.path("involvedObject").path(f).asText(""));
        }
        m.put("reason", o -> o.path("reason").asText(""));
        m.put("reportingComponent", o -> o.path("reportingComponent").asText(""));
        m.put("source", o -> {
            String s = o.path("source").path("component").asText("");
            return s.isEmpty() ? o.path("reportingComponent").asText("") : s;
        });
        m.put("type", o -> o.path("type").asText(""));
        return m;
    }

    @Override
    public List<String> fieldLabels() {
        if (eventsV1) {
            return List.copyOf(EVENTS_V1_LABELS.keySet());
        }
        return List.of(
                "involvedObject.kind",
                "involvedObject.namespace",
                "involvedObject.name",
                "involvedObject.uid",
                "involvedObject.apiVersion",
                "involvedObject.resourceVersion",
                "involvedObject.fieldPath",
                "reason",
                "reportingComponent",
                "source",
                "type",
                "metadata.namespace",
                "metadata.name");
    }

    @Override
    public List<String> fieldOrder() {
        return List.of(
                "kind",
                "apiVersion",
                "metadata",
                "involvedObject",
                "reason",
                "message",
                "source",
                "firstTimestamp",
                "lastTimestamp",
                "count",
                "type",
                "eventTime",
                "series",
                "action",
                "related",
                "reportingComponent",
                "reportingInstance");
    }

    @Override
    public Map<String, List<String>> nestedFieldOrder() {
        return Map.of(
                "involvedObject",
                List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"));
    }

    @Override
    public boolean allowCreateOnUpdate() {
        return true;
    }

    @Override
    public TableConvertor table() {
        return Printers.EVENTS;
    }
}
