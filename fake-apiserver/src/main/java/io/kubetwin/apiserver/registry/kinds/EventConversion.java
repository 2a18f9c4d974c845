package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * events.k8s.io/v1 Event to and from the stored core/v1 Event (pkg/apis/events/v1/conversion.go):
 * regarding/involvedObject, note/message, reportingController/reportingComponent and the deprecated*
 * fields. Field order follows each version's Go struct.
 */
public final class EventConversion {
    private EventConversion() {}

    private static final String[][] RENAMES = {
        {"regarding", "involvedObject"},
        {"note", "message"},
        {"deprecatedSource", "source"},
        {"deprecatedFirstTimestamp", "firstTimestamp"},
        {"deprecatedLastTimestamp", "lastTimestamp"},
        {"deprecatedCount", "count"},
        {"reportingController", "reportingComponent"},
    };

    static final List<String> EVENTS_V1_ORDER = List.of(
            "kind",
            "apiVersion",
            "metadata",
            "eventTime",
            "series",
            "reportingController",
            "reportingInstance",
            "action",
            "reason",
            "regarding",
            "related",
            "note",
            "type",
            "deprecatedSource",
            "deprecatedFirstTimestamp",
            "deprecatedLastTimestamp",
            "deprecatedCount");

    /** An events.k8s.io/v1 object as the core/v1 object that is stored. */
    public static ObjectNode toCore(ObjectNode event) {
        ObjectNode out = event.deepCopy();
        for (String[] r : RENAMES) {
            rename(out, r[0], r[1]);
        }
        out.put("apiVersion", "v1");
        return out;
    }

    /** A stored core/v1 Event as events.k8s.io/v1. */
    public static ObjectNode fromCore(ObjectNode core) {
        ObjectNode out = core.deepCopy();
        for (String[] r : RENAMES) {
            rename(out, r[1], r[0]);
        }
        out.put("apiVersion", "events.k8s.io/v1");
        if (!out.has("deprecatedSource")) {
            out.putObject("deprecatedSource");
        }
        for (String f : new String[] {"eventTime", "deprecatedFirstTimestamp", "deprecatedLastTimestamp"}) {
            if (!out.has(f)) {
                out.putNull(f);
            }
        }
        if (out.path("deprecatedCount").asLong(0) == 0) {
            out.remove("deprecatedCount");
        }
        return reorder(out, EVENTS_V1_ORDER);
    }

    private static void rename(ObjectNode o, String from, String to) {
        JsonNode v = o.remove(from);
        if (v != null) {
            o.set(to, v);
        }
    }

    static ObjectNode reorder(ObjectNode o, List<String> order) {
        ObjectNode copy = o.deepCopy();
        o.removeAll();
        for (String k : order) {
            if (copy.has(k)) {
                o.set(k, copy.get(k));
            }
        }
        copy.fields().forEachRemaining(e -> {
            if (!o.has(e.getKey())) {
                o.set(e.getKey(), e.getValue());
            }
        });
        return o;
    }
}
