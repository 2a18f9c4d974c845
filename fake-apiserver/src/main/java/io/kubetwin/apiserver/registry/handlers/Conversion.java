package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.kinds.EventConversion;
import io.kubetwin.apiserver.registry.kinds.HpaConversion;

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
        if (isHpaV1(served)) {
            return HpaConversion.toV1(stored);
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

    /**
     * {@link #toServed} of an object that must stay as it is (the store's, or one shared by several watches): a copy
     * of its top level, whose values stay shared, where only kind and apiVersion are restated; a deep copy where a
     * conversion rewrites more.
     */
    static ObjectNode toServedCopy(ServedResource served, ObjectNode stored) {
        if (isEventsV1(served) || isHpaV1(served)) {
            return toServed(served, stored.deepCopy());
        }
        ObjectNode top = stored.objectNode();
        top.setAll(stored);
        return toServed(served, top);
    }

    static boolean isEventsV1(ServedResource served) {
        return "events.k8s.io".equals(served.type().group())
                && "events".equals(served.type().plural());
    }

    /** autoscaling/v1 HorizontalPodAutoscalers, stored as autoscaling/v2. */
    static boolean isHpaV1(ServedResource served) {
        return "autoscaling".equals(served.type().group())
                && "v1".equals(served.type().version())
                && "horizontalpodautoscalers".equals(served.type().plural());
    }

    /** The incoming object in its stored form. */
    static ObjectNode toStored(ServedResource served, ObjectNode object) {
        if (isHpaV1(served)) {
            return HpaConversion.toV2(object);
        }
        return isEventsV1(served) ? EventConversion.toCore(object) : object;
    }
}
