package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ServedResource;

/**
 * Between the stored form and the served version. Built-in kinds are served as stored, except that the
 * stored kind and apiVersion are restated for the served group/version.
 */
final class Conversion {
    private Conversion() {}

    static ObjectNode toServed(ServedResource served, ObjectNode stored) {
        stored.put("kind", served.type().kind());
        stored.put("apiVersion", served.type().apiVersion());
        return stored;
    }
}
