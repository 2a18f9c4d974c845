package io.kubetwin.apiserver.storage.etcd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.StreamObserver;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One etcd watch over everything under the server's prefix, fanned out to the local watches, with a bounded
 * history from which they start: the role of kube-apiserver's watch cache
 * (k8s.io/apiserver/pkg/storage/cacher/cacher.go, watch_cache.go). As there, a watch from a resourceVersion
 * older than the history (or than this server's start) fails with "too old resource version", and changes
 * made by other apiservers on the same store reach local watches as soon as etcd reports them.
 *
 * <p>Listeners are called in revision order on the gRPC thread of the etcd watch, under this cache's lock:
 * they must be quick and must not write to the store. A local write's Future completes only once its own
 * change has gone through the listeners ({@link #awaitDelivered}), so an index built from a watch (RBAC's)
 * reflects a write when the writer hears that it succeeded, as with the in-memory store.
 */
final class WatchCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WatchCache.class.getName());
    private static final long RECONNECT_MS = 1000;

    private final WatchGrpc.WatchStub stub;
    private final String root;
    private final StoredValues values;
    private final int capacity;
    private final Object lock = new Object();
    private final ArrayDeque<Change> history = new ArrayDeque<>();
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "etcd-watch-reconnect");
        t.setDaemon(true);
        return t;
    });
    /** Every change after this revision is in the history. */
    private long coveredAfter;
    /** The revision up to which changes have been delivered to the listeners. */
    private volatile long delivered;

    private StreamObserver<WatchRequest> requests;
    private boolean closed;

    WatchCache(WatchGrpc.WatchStub stub, String root, StoredValues values, int capacity) {
        this.stub = stub;
        this.root = root;
        this.values = values;
        this.capacity = capacity;
    }

    /** Starts watching changes after {@code revision} (the store's revision when this server starts). */
    void start(long revision) {
        synchronized (lock) {
            coveredAfter = revision;
            delivered = revision;
        }
        open();
    }

    long delivered() {
        return delivered;
    }

    /** Completes (on the watch's thread, or at once) when the change at {@code revision} has been delivered. */
    CompletableFuture<Void> awaitDelivered(long revision) {
        synchronized (lock) {
            if (delivered >= revision || closed) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            waiters.computeIfAbsent(revision, r -> new ArrayList<>()).add(f);
            return f;
        }
    }

    /**
     * Registers a listener for the changes of one resource (in one namespace, or all when null) after
     * {@code since}, replaying those still in the history first.
     *
     * @throws StorageException TOO_OLD_RESOURCE_VERSION when changes after {@code since} are no longer kept
     */
    Storage.Watch watch(
            ResourceKey resource,
            String resourcePrefix,
            String namespace,
            long since,
            Consumer<WatchEvent> listener,
            boolean copy) {
        synchronized (lock) {
            if (since < coveredAfter) {
                // the cacher's errors.NewResourceExpired text
                throw new StorageException(
                        StorageException.Reason.TOO_OLD_RESOURCE_VERSION,
                        null,
                        "too old resource version: " + since + " (" + coveredAfter + ")");
            }
            Registration registration = new Registration(resource, resourcePrefix, namespace, since, listener, copy);
            for (Change change : history) {
                registration.deliver(change, new WatchEvent[1]);
            }
            registrations.add(registration);
            return () -> registrations.remove(registration);
        }
    }

    private void open() {
        long from;
        synchronized (lock) {
            if (closed) {
                return;
            }
            from = delivered + 1;
        }
        StreamObserver<WatchRequest> stream = stub.watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse response) {
                receive(response);
            }

            @Override
            public void onError(Throwable t) {
                lost(t.getMessage());
            }

            @Override
            public void onCompleted() {
                lost("stream closed by the server");
            }
        });
        byte[] rootBytes = root.getBytes(StandardCharsets.UTF_8);
        stream.onNext(WatchRequest.newBuilder()
                .setCreateRequest(WatchCreateRequest.newBuilder()
                        .setKey(ByteString.copyFrom(rootBytes))
                        .setRangeEnd(ByteString.copyFrom(EtcdStorage.prefixEnd(rootBytes)))
                        .setStartRevision(from)
                        .setPrevKv(true)
                        .setProgressNotify(true))
                .build());
        synchronized (lock) {
            requests = stream;
        }
    }

    private void receive(WatchResponse response) {
        if (response.getCanceled()) {
            if (response.getCompactRevision() > 0) {
                // changes were compacted away before this server saw them: its watches cannot be made whole
                LOG.log(
                        System.Logger.Level.ERROR,
                        "etcd watch of " + root + " lost history: compacted at revision "
                                + response.getCompactRevision() + ", last delivered " + delivered);
                synchronized (lock) {
                    delivered = Math.max(delivered, response.getCompactRevision() - 1);
                    coveredAfter = Math.max(coveredAfter, delivered);
                    history.clear();
                }
            }
            lost("watch canceled: " + response.getCancelReason());
            return;
        }
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (lock) {
            for (Event event : response.getEventsList()) {
                Change change = change(event);
                history.addLast(change);
                while (history.size() > capacity) {
                    coveredAfter = history.removeFirst().revision();
                }
                // one event for the shared listeners of this change, dropped after it: the history keeps no encodings
                WatchEvent[] shared = new WatchEvent[1];
                for (Registration r : registrations) {
                    r.deliver(change, shared);
                }
                delivered = Math.max(delivered, change.revision());
            }
            if (response.getEventsCount() == 0 && !response.getCreated()) {
                // a progress notification: nothing under the prefix changed up to this revision
                delivered = Math.max(delivered, response.getHeader().getRevision());
            }
            Map<Long, List<CompletableFuture<Void>>> ready = waiters.headMap(delivered, true);
            ready.values().forEach(done::addAll);
            ready.clear();
        }
        done.forEach(f -> f.complete(null));
    }

    private Change change(Event event) {
        KeyValue kv = event.getKv();
        WatchEvent.Type type = event.getType() == Event.EventType.DELETE
                ? WatchEvent.Type.DELETED
                : kv.getCreateRevision() == kv.getModRevision() ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED;
        return new Change(
                kv.getKey().toStringUtf8(),
                type,
                kv.getModRevision(),
                kv,
                event.hasPrevKv() ? event.getPrevKv() : null);
    }

    private void lost(String why) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        synchronized (lock) {
            requests = null;
            // the writes happened; their writers must not wait for a watch that may take long to come back
            waiters.values().forEach(pending::addAll);
            waiters.clear();
            if (closed) {
                return;
            }
        }
        pending.forEach(f -> f.complete(null));
        LOG.log(System.Logger.Level.WARNING, "etcd watch of " + root + " interrupted (" + why + "); reconnecting");
        reconnects.schedule(this::open, RECONNECT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        StreamObserver<WatchRequest> stream;
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            stream = requests;
            requests = null;
            waiters.values().forEach(pending::addAll);
            waiters.clear();
            registrations.clear();
        }
        pending.forEach(f -> f.complete(null));
        reconnects.shutdownNow();
        if (stream != null) {
            try {
                stream.onCompleted();
            } catch (RuntimeException e) {
                // the channel may already be shut down
            }
        }
    }

    /** One change as etcd reported it; objects are decoded when a listener first needs them. */
    private final class Change {
        final String key;
        final WatchEvent.Type type;
        final long revision;
        private final KeyValue kv;
        private final KeyValue prev;
        private ObjectNode object;
        private ObjectNode previous;
        private boolean decoded;

        private Change(String key, WatchEvent.Type type, long revision, KeyValue kv, KeyValue prev) {
            this.key = key;
            this.type = type;
            this.revision = revision;
            this.kv = kv;
            this.prev = prev;
        }

        long revision() {
            return revision;
        }

        /** Decodes once; null when the value cannot be decoded (logged). Called under the cache's lock. */
        ObjectNode object(ResourceKey resource) {
            decode(resource);
            return object;
        }

        ObjectNode previous(ResourceKey resource) {
            decode(resource);
            return previous;
        }

        /** A key belongs to one resource, so the first registration's resource decodes it for all. */
        private void decode(ResourceKey resource) {
            if (decoded) {
                return;
            }
            decoded = true;
            try {
                previous = prev == null || prev.getModRevision() == 0
                        ? null
                        : values.decode(resource, prev.getValue().toByteArray(), key, prev.getModRevision());
                if (type == WatchEvent.Type.DELETED) {
                    // the last state, stamped with the deletion's revision (etcd3's watcher does the same)
                    object = previous == null ? null : previous.deepCopy();
                    if (object != null) {
                        ((ObjectNode) object.get("metadata")).put("resourceVersion", Long.toString(revision));
                    }
                } else {
                    object = values.decode(resource, kv.getValue().toByteArray(), key, revision);
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot decode " + key + " at revision " + revision, e);
                object = null;
            }
        }
    }

    /** One local watch; identity matters. */
    private final class Registration {
        private final ResourceKey resource;
        private final String resourcePrefix;
        private final String namespace;
        private final long since;
        private final Consumer<WatchEvent> listener;
        /** Whether the listener gets its own deep copies (watch) or the event shared by one delivery (watchShared). */
        private final boolean copy;

        Registration(
                ResourceKey resource,
                String resourcePrefix,
                String namespace,
                long since,
                Consumer<WatchEvent> listener,
                boolean copy) {
            this.resource = resource;
            this.resourcePrefix = resourcePrefix;
            this.namespace = namespace;
            this.since = since;
            this.listener = listener;
            this.copy = copy;
        }

        /** @param shared the event this delivery's shared listeners get, made by the first of them */
        void deliver(Change change, WatchEvent[] shared) {
            if (change.revision <= since) {
                return;
            }
            ObjectKey key = RegistryKeys.parse(resource, resourcePrefix, change.key);
            if (key == null || namespace != null && !namespace.equals(key.namespace())) {
                return;
            }
            ObjectNode object = change.object(resource);
            if (object == null) {
                return;
            }
            ObjectNode previous = change.previous(resource);
            WatchEvent event;
            if (copy) {
                event = new WatchEvent(
                        change.type,
                        key,
                        object.deepCopy(),
                        change.revision,
                        previous == null ? null : previous.deepCopy());
            } else {
                if (shared[0] == null || !shared[0].key().equals(key)) {
                    shared[0] = new WatchEvent(change.type, key, object, change.revision, previous);
                }
                event = shared[0];
            }
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // a failing listener must not stop the others
                LOG.log(System.Logger.Level.WARNING, "watch listener failed", e);
            }
        }
    }
}
