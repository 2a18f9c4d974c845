package io.kubetwin.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A change to a stored object, delivered to watchers in resourceVersion order. */
public record WatchEvent(Type type, ObjectKey key, ObjectNode object, long resourceVersion) {
    public enum Type { ADDED, MODIFIED, DELETED }
}
