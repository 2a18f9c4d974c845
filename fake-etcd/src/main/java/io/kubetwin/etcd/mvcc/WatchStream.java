package io.kubetwin.etcd.mvcc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The watchers of one gRPC Watch stream, after server/etcdserver/api/v3rpc/watch.go (serverWatchStream) and
 * server/storage/mvcc/watchable_store.go. A watcher whose start revision is in the past gets its history at
 * creation, right after the created response; later changes arrive as they are committed, one response per
 * revision. Thread-safe through the store's write lock: every method runs under it.
 */
public final class WatchStream implements AutoCloseable {
    /** clientv3.InvalidWatchID: the id of progress responses made for the whole stream. */
    public static final long INVALID_WATCH_ID = -1;
    /** WatchCreateRequest.watch_id (7) and .fragment (8), WatchResponse.fragment (7): newer than jetcd's proto. */
    static final int FIELD_CREATE_WATCH_ID = 7;

    static final int FIELD_CREATE_FRAGMENT = 8;
    static final int FIELD_RESPONSE_FRAGMENT = 7;

    private final EtcdStore store;
    private final Consumer<WatchResponse> sink;
    private final Map<Long, Watcher> watchers = new LinkedHashMap<>();
    private long nextId;
    private boolean closed;

    WatchStream(EtcdStore store, Consumer<WatchResponse> sink) {
        this.store = store;
        this.sink = sink;
    }

    private static final class Watcher {
        final long id;
        final ByteString key;
        final ByteString end; // null: one key; empty: every key from key on
        final long startRev;
        long minRev;
        final boolean prevKv;
        final boolean noPut;
        final boolean noDelete;
        final boolean fragment;
        final boolean progressNotify;
        boolean idleSinceTick = true;

        Watcher(long id, WatchCreateRequest c, ByteString key, ByteString end) {
            this.id = id;
            this.key = key;
            this.end = end;
            this.startRev = c.getStartRevision();
            this.prevKv = c.getPrevKv();
            this.noPut = c.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
            this.noDelete = c.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
            this.fragment = flag(c.getUnknownFields(), FIELD_CREATE_FRAGMENT);
            this.progressNotify = c.getProgressNotify();
        }

        boolean matches(ByteString k) {
            if (end == null) {
                return key.equals(k);
            }
            return MvccIndex.KEY_ORDER.compare(key, k) <= 0
                    && (end.isEmpty() || MvccIndex.KEY_ORDER.compare(k, end) < 0);
        }
    }

    private static boolean flag(UnknownFieldSet fields, int number) {
        var f = fields.getField(number);
        return f != null && !f.getVarintList().isEmpty() && f.getVarintList().get(0) != 0;
    }

    private static long varint(UnknownFieldSet fields, int number) {
        var f = fields.getField(number);
        return f == null || f.getVarintList().isEmpty() ? 0 : f.getVarintList().get(0);
    }

    /** A create request: the created response, then any history since its start revision. */
    public void create(WatchCreateRequest c) {
        store.locked(() -> {
            doCreate(c);
            return null;
        });
    }

    private void doCreate(WatchCreateRequest c) {
        if (closed) {
            return;
        }
        MvccIndex index = store.index();
        long current = index.revision();
        ByteString key = c.getKey().isEmpty() ? ByteString.copyFrom(new byte[] {0}) : c.getKey();
        ByteString end = c.getRangeEnd().isEmpty() ? null : TxnExecutor.gteRange(c.getRangeEnd());
        long requested = varint(c.getUnknownFields(), FIELD_CREATE_WATCH_ID);
        String error = null;
        if (end != null && !end.isEmpty() && MvccIndex.KEY_ORDER.compare(key, end) >= 0) {
            error = "mvcc: watcher range is empty";
        } else if (requested != 0 && watchers.containsKey(requested)) {
            error = "mvcc: duplicate watch ID provided on the WatchStream";
        }
        if (error != null) {
            sink.accept(WatchResponse.newBuilder()
                    .setHeader(store.header(current))
                    .setWatchId(INVALID_WATCH_ID)
                    .setCreated(true)
                    .setCanceled(true)
                    .setCancelReason(error)
                    .build());
            return;
        }
        long id = requested;
        if (id == 0) {
            while (watchers.containsKey(nextId)) {
                nextId++;
            }
            id = nextId++;
        }
        Watcher w = new Watcher(id, c, key, end);
        watchers.put(id, w);
        sink.accept(WatchResponse.newBuilder()
                .setHeader(store.header(current))
                .setWatchId(id)
                .setCreated(true)
                .build());
        boolean synced = w.startRev > current || w.startRev == 0;
        w.minRev = synced ? Math.max(current + 1, w.startRev) : w.startRev;
        if (synced) {
            return;
        }
        if (w.startRev < index.compactRevision()) {
            // watchable_store.go: a watcher behind the compaction gets its revision and is dropped; v3rpc
            // marks that response canceled. Its header revision stays 0, as etcd leaves it.
            watchers.remove(id);
            sink.accept(WatchResponse.newBuilder()
                    .setHeader(store.header(0))
                    .setWatchId(id)
                    .setCompactRevision(index.compactRevision())
                    .setCanceled(true)
                    .build());
            return;
        }
        List<Event> events = new ArrayList<>();
        for (var changes : index.changesAfter(w.minRev - 1).values()) {
            events.addAll(eventsFor(w, changes));
        }
        w.minRev = current + 1;
        if (!events.isEmpty()) {
            send(w, current, events);
        }
    }

    /** A cancel request: a canceled response if the watcher existed, nothing otherwise (as etcd). */
    public void cancel(long id) {
        store.locked(() -> {
            if (!closed && watchers.remove(id) != null) {
                sink.accept(WatchResponse.newBuilder()
                        .setHeader(store.header(store.index().revision()))
                        .setWatchId(id)
                        .setCanceled(true)
                        .build());
            }
            return null;
        });
    }

    /** A progress request: one response with watch id -1 at the current revision, if every watcher is synced. */
    public void requestProgress() {
        store.locked(() -> {
            long rev = store.index().revision();
            if (closed || watchers.isEmpty()) {
                return null;
            }
            for (Watcher w : watchers.values()) {
                if (rev < w.startRev) {
                    return null;
                }
            }
            sink.accept(WatchResponse.newBuilder()
                    .setHeader(store.header(rev))
                    .setWatchId(INVALID_WATCH_ID)
                    .build());
            return null;
        });
    }

    /** The progress ticker of serverWatchStream.sendLoop: idle progress_notify watchers hear the revision. */
    void progressTick() {
        long rev = store.index().revision();
        for (Watcher w : watchers.values()) {
            if (!w.progressNotify) {
                continue;
            }
            if (w.idleSinceTick && rev >= w.startRev) {
                sink.accept(WatchResponse.newBuilder()
                        .setHeader(store.header(rev))
                        .setWatchId(w.id)
                        .build());
            }
            w.idleSinceTick = true;
        }
    }

    void notify(long rev, List<KeyValue> changes) {
        if (closed) {
            return;
        }
        for (Watcher w : watchers.values()) {
            if (rev < w.minRev) {
                continue;
            }
            List<Event> events = eventsFor(w, changes);
            w.minRev = rev + 1;
            if (!events.isEmpty()) {
                send(w, rev, events);
            }
        }
    }

    private List<Event> eventsFor(Watcher w, List<KeyValue> changes) {
        List<Event> events = new ArrayList<>();
        for (KeyValue kv : changes) {
            if (!w.matches(kv.getKey())) {
                continue;
            }
            boolean delete = MvccIndex.isTombstone(kv);
            if ((delete && w.noDelete) || (!delete && w.noPut)) {
                continue;
            }
            Event.Builder e = Event.newBuilder()
                    .setType(delete ? Event.EventType.DELETE : Event.EventType.PUT)
                    .setKv(kv);
            boolean create = !delete && kv.getCreateRevision() == kv.getModRevision();
            if (w.prevKv && !create) {
                KeyValue prev = store.index().get(kv.getKey(), kv.getModRevision() - 1);
                if (prev != null) {
                    e.setPrevKv(prev);
                }
            }
            events.add(e.build());
        }
        return events;
    }

    private void send(Watcher w, long rev, List<Event> events) {
        w.idleSinceTick = false;
        WatchResponse whole = WatchResponse.newBuilder()
                .setHeader(store.header(rev))
                .setWatchId(w.id)
                .addAllEvents(events)
                .build();
        long max = store.options().maxRequestBytes();
        if (!w.fragment || whole.getSerializedSize() < max || events.size() < 2) {
            sink.accept(whole);
            return;
        }
        // sendFragments (v3rpc/watch.go): as many events as fit under --max-request-bytes, at least one each
        int idx = 0;
        while (idx < events.size()) {
            WatchResponse.Builder cur = whole.toBuilder().clearEvents().setUnknownFields(fragmentFlag());
            while (idx < events.size()) {
                cur.addEvents(events.get(idx));
                if (cur.getEventsCount() > 1 && cur.build().getSerializedSize() >= max) {
                    cur.removeEvents(cur.getEventsCount() - 1);
                    break;
                }
                idx++;
            }
            if (idx == events.size()) {
                cur.setUnknownFields(UnknownFieldSet.getDefaultInstance());
            }
            sink.accept(cur.build());
        }
    }

    private static UnknownFieldSet fragmentFlag() {
        return UnknownFieldSet.newBuilder()
                .addField(
                        FIELD_RESPONSE_FRAGMENT,
                        UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .build();
    }

    @Override
    public void close() {
        store.locked(() -> {
            closed = true;
            watchers.clear();
            return null;
        });
        store.closeStream(this);
    }
}
