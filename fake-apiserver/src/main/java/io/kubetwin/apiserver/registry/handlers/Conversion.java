package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.kinds.EventConversion;

/**
 * Between the stored form and the served version. Built-in kinds are served as stored, except that the
 * stored kind and apiVersion are restated for the served group/version, and events.k8s.io/v1 events,
 * stored as core/v1 events, are converted.
 */
final class Conversion {
    private Conversion() {}

    static ObjectNode toServed(ServedResource served, ObjectNode stored) {
        if (isEventsV1(served)) {
            return EventConversion.fromCore(stored);
        }
        if (stored.has("kind") && stored.has("apiVersion")) {
            // keep the stored key order (custom resources are sorted, built-ins lead with kind)
            stored.put("kind", served.type().kind());
            stored.put("apiVersion", served.type().apiVersion());
            return stored;
        }
        stored.put("kind", served.type().kind());
        stored.put("apiVersion", served.type().apiVersion());
        return stored;
    }

    static boolean isEventsV1(ServedResource served) {
        return "events.k8s.io".equals(served.type().group())
                && "events".equals(served.type().plural());
    }

    /** The incoming object in its stored form. */
    static ObjectNode toStored(ServedResource served, ObjectNode object) {
        return isEventsV1(served) ? EventConversion.toCore(object) : object;
    }
}
