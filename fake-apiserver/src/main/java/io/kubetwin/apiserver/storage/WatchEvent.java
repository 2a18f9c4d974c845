package io.kubetwin.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A change to a stored object, delivered to watchers in resourceVersion order.
 *
 * @param object the object after the change (for DELETED, its last state stamped with the deletion's version)
 * @param previous the object before the change for MODIFIED and DELETED, null for ADDED; watch filters
 *                 use it to turn a change that leaves or enters a selector into DELETED or ADDED
 * @param memo what the listeners of one delivery derive from the event once for all of them (its encodings); not
 *             part of the event's value
 */
public record WatchEvent(
        Type type, ObjectKey key, ObjectNode object, long resourceVersion, ObjectNode previous, Memo memo) {
    public enum Type {
        ADDED,
        MODIFIED,
        DELETED
    }

    /** An event with a fresh memo. */
    public WatchEvent(Type type, ObjectKey key, ObjectNode object, long resourceVersion, ObjectNode previous) {
        this(type, key, object, resourceVersion, previous, new Memo());
    }

    /** An event without the previous state. */
    public WatchEvent(Type type, ObjectKey key, ObjectNode object, long resourceVersion) {
        this(type, key, object, resourceVersion, null);
    }

    /** The same change with a fresh, empty memo (for one delivery to several listeners of {@link Storage#watchShared}). */
    public WatchEvent withFreshMemo() {
        return new WatchEvent(type, key, object, resourceVersion, previous);
    }

    /**
     * Values computed from an event once and shared by every listener it is delivered to (the watch handler's encoded
     * lines, one per wire form). Thread-safe: listeners on different threads compute a value once between them. Every
     * memo equals every other one, so an event's value is its change alone.
     */
    public static final class Memo {
        private final Map<Object, Object> values = new ConcurrentHashMap<>(4);

        /**
         * The value kept under {@code key}, computed by {@code compute} by the first caller (others for the same key
         * wait for it). {@code compute} must not touch this memo, and its value must be immutable or never changed.
         */
        @SuppressWarnings("unchecked")
        public <K, V> V computeIfAbsent(K key, Function<? super K, ? extends V> compute) {
            return (V) values.computeIfAbsent(key, k -> compute.apply((K) k));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Memo;
        }

        @Override
        public int hashCode() {
            return 0;
        }

        @Override
        public String toString() {
            return "Memo";
        }
    }
}
