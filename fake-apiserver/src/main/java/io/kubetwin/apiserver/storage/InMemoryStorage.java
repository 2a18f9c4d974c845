package io.kubetwin.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The in-memory {@link Storage}: one global resourceVersion counter, objects kept as private
 * {@link ObjectNode} copies, and a bounded history of changes from which watches resume, in the
 * role the watch cache plays for kube-apiserver
 * (k8s.io/apiserver/pkg/storage/cacher/watch_cache.go).
 *
 * <p>Writes are serialised by one lock; reads are lock-free. Watch listeners are called
 * synchronously, in resourceVersion order, on the writing thread and before the write's Future
 * completes, so an index built from a watch (RBAC's, for example) already reflects a write when the
 * writer hears it succeeded. Listeners must therefore be quick and must not write to this store.
 * Each listener of {@link #watch} receives its own copy of the object. A stored object is never changed in place (a
 * write stores a new one), so {@link #listShared} can hand out the stored objects themselves, and {@link #watchShared}
 * delivers one event, with the stored objects and one memo, to all its listeners: a write then costs no copy per
 * watcher under the write lock.
 */
public final class InMemoryStorage implements Storage {

    /** How many changes are kept for watches that resume from a resourceVersion. */
    public static final int DEFAULT_HISTORY = 10_000;

    private static final System.Logger LOG = System.getLogger(InMemoryStorage.class.getName());

    private final int historyCapacity;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<ResourceKey, NavigableMap<String, ObjectNode>> objects = new ConcurrentHashMap<>();
    private final ArrayDeque<WatchEvent> history = new ArrayDeque<>();
    private final List<Registration> watchers = new CopyOnWriteArrayList<>();
    private volatile long resourceVersion;

    public InMemoryStorage() {
        this(DEFAULT_HISTORY, 0);
    }

    /**
     * @param historyCapacity number of changes kept for resuming watches (at least 1)
     * @param initialResourceVersion the counter's starting value; the first write gets the next one
     */
    public InMemoryStorage(int historyCapacity, long initialResourceVersion) {
        if (historyCapacity < 1) {
            throw new IllegalArgumentException("historyCapacity must be positive");
        }
        this.historyCapacity = historyCapacity;
        this.resourceVersion = initialResourceVersion;
    }

    @Override
    public Future<ObjectNode> get(ObjectKey key) {
        ObjectNode stored = bucket(key.resourceKey()).get(entryKey(key.namespace(), key.name()));
        if (stored == null) {
            return Future.failedFuture(notFound(key));
        }
        return Future.succeededFuture(stored.deepCopy());
    }

    @Override
    public Future<ListResult> list(ResourceKey resource, String namespace) {
        return Future.succeededFuture(list(resource, namespace, true));
    }

    /** The stored objects themselves: they are never changed once stored (a write stores a new object). */
    @Override
    public Future<ListResult> listShared(ResourceKey resource, String namespace) {
        return Future.succeededFuture(list(resource, namespace, false));
    }

    private ListResult list(ResourceKey resource, String namespace, boolean copy) {
        // read the counter first: every object seen was written at or before a later version, so the
        // list is at least as new as the version it reports
        long rv = resourceVersion;
        NavigableMap<String, ObjectNode> bucket = bucket(resource);
        Iterable<ObjectNode> values = namespace == null
                ? bucket.values()
                : bucket.subMap(namespace + '\u0000', true, namespace + '\u0001', false)
                        .values();
        List<ObjectNode> items = new ArrayList<>();
        for (ObjectNode node : values) {
            items.add(copy ? node.deepCopy() : node);
        }
        return new ListResult(items, rv);
    }

    @Override
    public Future<ObjectNode> create(ObjectKey key, ObjectNode object) {
        Objects.requireNonNull(object, "object");
        writeLock.lock();
        try {
            NavigableMap<String, ObjectNode> bucket = bucket(key.resourceKey());
            String entry = entryKey(key.namespace(), key.name());
            if (bucket.containsKey(entry)) {
                return Future.failedFuture(
                        new StorageException(StorageException.Reason.ALREADY_EXISTS, key, "key exists: " + key));
            }
            ObjectNode stored = stamp(object.deepCopy());
            bucket.put(entry, stored);
            record(new WatchEvent(WatchEvent.Type.ADDED, key, stored, resourceVersion));
            return Future.succeededFuture(stored.deepCopy());
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Future<ObjectNode> update(ObjectKey key, ObjectNode object, String expectedResourceVersion) {
        Objects.requireNonNull(object, "object");
        writeLock.lock();
        try {
            NavigableMap<String, ObjectNode> bucket = bucket(key.resourceKey());
            String entry = entryKey(key.namespace(), key.name());
            ObjectNode current = bucket.get(entry);
            if (current == null) {
                return Future.failedFuture(notFound(key));
            }
            if (conflicts(current, expectedResourceVersion)) {
                return Future.failedFuture(conflict(key, current, expectedResourceVersion));
            }
            ObjectNode stored = stamp(object.deepCopy());
            bucket.put(entry, stored);
            record(new WatchEvent(WatchEvent.Type.MODIFIED, key, stored, resourceVersion, current));
            return Future.succeededFuture(stored.deepCopy());
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Future<ObjectNode> delete(ObjectKey key, String expectedResourceVersion) {
        writeLock.lock();
        try {
            NavigableMap<String, ObjectNode> bucket = bucket(key.resourceKey());
            String entry = entryKey(key.namespace(), key.name());
            ObjectNode current = bucket.get(entry);
            if (current == null) {
                return Future.failedFuture(notFound(key));
            }
            if (conflicts(current, expectedResourceVersion)) {
                return Future.failedFuture(conflict(key, current, expectedResourceVersion));
            }
            bucket.remove(entry);
            // like etcd, a deletion is a change with its own revision; the deleted object carries it
            ObjectNode last = stamp(current.deepCopy());
            record(new WatchEvent(WatchEvent.Type.DELETED, key, last, resourceVersion, current));
            return Future.succeededFuture(last.deepCopy());
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Future<Watch> watch(
            ResourceKey resource, String namespace, long sinceResourceVersion, Consumer<WatchEvent> listener) {
        return watch(resource, namespace, sinceResourceVersion, listener, true);
    }

    /** One event per change for all listeners: the stored objects themselves, never changed once stored. */
    @Override
    public Future<Watch> watchShared(
            ResourceKey resource, String namespace, long sinceResourceVersion, Consumer<WatchEvent> listener) {
        return watch(resource, namespace, sinceResourceVersion, listener, false);
    }

    private Future<Watch> watch(
            ResourceKey resource,
            String namespace,
            long sinceResourceVersion,
            Consumer<WatchEvent> listener,
            boolean copy) {
        Objects.requireNonNull(listener, "listener");
        writeLock.lock();
        try {
            long oldest = history.isEmpty()
                    ? resourceVersion + 1
                    : history.peekFirst().resourceVersion();
            // every change after `since` must still be in the history: the one right after it is the oldest kept at
            // best
            if (sinceResourceVersion < oldest - 1) {
                return Future.failedFuture(new StorageException(
                        StorageException.Reason.TOO_OLD_RESOURCE_VERSION,
                        null,
                        "too old resource version: " + sinceResourceVersion + " (" + (oldest - 1) + ")"));
            }
            Registration registration = new Registration(resource, namespace, listener, copy);
            for (Iterator<WatchEvent> it = history.iterator(); it.hasNext(); ) {
                WatchEvent event = it.next();
                if (event.resourceVersion() > sinceResourceVersion) {
                    // a memo of its own: the history keeps no encodings
                    registration.deliver(event.withFreshMemo());
                }
            }
            watchers.add(registration);
            return Future.succeededFuture(() -> watchers.remove(registration));
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long currentResourceVersion() {
        return resourceVersion;
    }

    /** The resourceVersion of the oldest change still kept for watches, or 0 when none is kept. */
    public long oldestRetainedResourceVersion() {
        writeLock.lock();
        try {
            return history.isEmpty() ? 0 : history.peekFirst().resourceVersion();
        } finally {
            writeLock.unlock();
        }
    }

    private ObjectNode stamp(ObjectNode object) {
        resourceVersion++;
        ObjectNode metadata = object.has("metadata") && object.get("metadata").isObject()
                ? (ObjectNode) object.get("metadata")
                : object.putObject("metadata");
        metadata.put("resourceVersion", Long.toString(resourceVersion));
        return object;
    }

    private void record(WatchEvent event) {
        history.addLast(event);
        while (history.size() > historyCapacity) {
            history.removeFirst();
        }
        // one event for every listener of this write (shared listeners derive their encodings from it once); the
        // history's event keeps no memo, so no encoding outlives the delivery
        WatchEvent delivered = event.withFreshMemo();
        for (Registration registration : watchers) {
            registration.deliver(delivered);
        }
    }

    private NavigableMap<String, ObjectNode> bucket(ResourceKey resource) {
        return objects.computeIfAbsent(resource, r -> new ConcurrentSkipListMap<>());
    }

    /** Namespace, NUL, name: sorts by namespace then name, and one namespace is a contiguous range. */
    private static String entryKey(String namespace, String name) {
        return (namespace == null ? "" : namespace) + '\u0000' + name;
    }

    private static boolean conflicts(ObjectNode current, String expectedResourceVersion) {
        return expectedResourceVersion != null
                && !expectedResourceVersion.isEmpty()
                && !expectedResourceVersion.equals(
                        current.path("metadata").path("resourceVersion").asText());
    }

    private static StorageException notFound(ObjectKey key) {
        return new StorageException(StorageException.Reason.NOT_FOUND, key, "key not found: " + key);
    }

    private static StorageException conflict(ObjectKey key, ObjectNode current, String expected) {
        return new StorageException(
                StorageException.Reason.CONFLICT,
                key,
                "resourceVersion " + expected + " does not match stored "
                        + current.path("metadata").path("resourceVersion").asText());
    }

    /** One watch; identity matters (two watches with the same listener are distinct). */
    private static final class Registration {
        private final ResourceKey resource;
        private final String namespace;
        private final Consumer<WatchEvent> listener;
        /** Whether the listener gets its own deep copies ({@link #watch}) or the shared event ({@link #watchShared}). */
        private final boolean copy;

        Registration(ResourceKey resource, String namespace, Consumer<WatchEvent> listener, boolean copy) {
            this.resource = resource;
            this.namespace = namespace;
            this.listener = listener;
            this.copy = copy;
        }

        void deliver(WatchEvent event) {
            if (!event.key().resourceKey().equals(resource)) {
                return;
            }
            if (namespace != null && !namespace.equals(event.key().namespace())) {
                return;
            }
            try {
                listener.accept(
                        copy
                                ? new WatchEvent(
                                        event.type(),
                                        event.key(),
                                        event.object().deepCopy(),
                                        event.resourceVersion(),
                                        event.previous() == null
                                                ? null
                                                : event.previous().deepCopy())
                                : event);
            } catch (RuntimeException e) {
                // a failing listener must not undo or block a write that has already happened
                LOG.log(System.Logger.Level.WARNING, "watch listener failed", e);
            }
        }
    }
}
