package io.kubetwin.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A change to a stored object, delivered to watchers in resourceVersion order.
 *
 * @param object the object after the change (for DELETED, its last state stamped with the deletion's version)
 * @param previous the object before the change for MODIFIED and DELETED, null for ADDED; watch filters
 *                 use it to turn a change that leaves or enters a selector into DELETED or ADDED
 */
public record WatchEvent(Type type, ObjectKey key, ObjectNode object, long resourceVersion, ObjectNode previous) {
    public enum Type {
        ADDED,
        MODIFIED,
        DELETED
    }

    /** An event without the previous state. */
    public WatchEvent(Type type, ObjectKey key, ObjectNode object, long resourceVersion) {
        this(type, key, object, resourceVersion, null);
    }
}
