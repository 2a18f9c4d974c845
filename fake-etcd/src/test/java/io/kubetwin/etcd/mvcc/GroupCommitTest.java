package io.kubetwin.etcd.mvcc;

import static io.kubetwin.etcd.mvcc.Kv.b;
import static io.kubetwin.etcd.mvcc.Kv.get;
import static io.kubetwin.etcd.mvcc.Kv.opPut;
import static io.kubetwin.etcd.mvcc.Kv.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit ({@link GroupCommitter}): writes that queue while a commit is under way are committed together in
 * one backend commit, each with its own revision in queue order, answered only once durable, their watch events
 * sent in revision order after the commit; a failed commit fails every write in it and keeps nothing of it. The
 * backend's first commit is held until the next writers are queued, so that the batches are deterministic.
 */
class GroupCommitTest {
    private final HeldBackend backend = new HeldBackend(SqliteBackend.inMemory());
    private final EtcdStore store = EtcdStore.open(backend, StoreOptions.defaults(), 1, 1);
    private final List<WatchResponse> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void writesQueuedDuringACommitShareTheNextOneEachWithItsOwnRevisionInOrder() throws Exception {
        backend.holdNext();
        store.openWatchStream(events::add)
                .create(WatchCreateRequest.newBuilder()
                        .setKey(b("k"))
                        .setRangeEnd(b("l"))
                        .build());
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        writes.add(async(() -> store.put(put("k0", "v0")).getHeader().getRevision()));
        backend.awaitHeld();
        for (int i = 1; i <= 4; i++) {
            String key = "k" + i;
            writes.add(async(() -> store.put(put(key, "v")).getHeader().getRevision()));
            awaitQueued(i);
        }
        writes.add(async(() -> store.txn(TxnRequest.newBuilder()
                        .addSuccess(opPut("k5", "a"))
                        .addSuccess(opPut("k6", "b"))
                        .build())
                .getHeader()
                .getRevision()));
        awaitQueued(5);
        assertEquals(1, events.size(), "only the watch's creation before anything is durable: " + events);
        backend.release();

        List<Long> revisions = new ArrayList<>();
        for (CompletableFuture<Long> w : writes) {
            revisions.add(w.get(30, TimeUnit.SECONDS));
        }
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), revisions);
        assertEquals(List.of(1, 5), backend.commitSizes, "the first write alone, then the five queued behind it");
        List<Long> eventRevisions = new ArrayList<>();
        for (WatchResponse r : events.subList(1, events.size())) {
            r.getEventsList().forEach(e -> eventRevisions.add(e.getKv().getModRevision()));
        }
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 7L), eventRevisions);
        assertEquals(7, store.revision());
    }

    @Test
    void aFailedCommitFailsEveryWriteInItAndKeepsNothingOfIt() throws Exception {
        store.put(put("before", "x")); // 2
        store.openWatchStream(events::add)
                .create(WatchCreateRequest.newBuilder().setKey(b("k")).build());
        backend.holdNext();
        CompletableFuture<Long> first =
                async(() -> store.put(put("k", "1")).getHeader().getRevision());
        backend.awaitHeld();
        backend.failNext();
        List<CompletableFuture<?>> failing = new ArrayList<>();
        failing.add(async(() -> store.leaseGrant(
                LeaseGrantRequest.newBuilder().setID(42).setTTL(60).build())));
        awaitQueued(1);
        failing.add(async(
                () -> store.put(put("leased", "v").toBuilder().setLease(42).build())));
        awaitQueued(2);
        failing.add(async(() -> store.put(put("k", "2"))));
        awaitQueued(3);
        failing.add(async(() -> store.deleteRange(
                DeleteRangeRequest.newBuilder().setKey(b("before")).build())));
        awaitQueued(4);
        backend.release();

        assertEquals(3, first.get(30, TimeUnit.SECONDS));
        for (CompletableFuture<?> f : failing) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            assertInstanceOf(BackendException.class, e.getCause());
            assertTrue(
                    e.getCause().getMessage().contains("injected"), e.getCause().getMessage());
        }
        assertEquals(3, store.revision());
        assertEquals("1", value("k"));
        assertEquals("x", value("before"));
        assertEquals(0, store.range(get("leased")).getCount());
        assertEquals(
                -1,
                store.leaseTimeToLive(
                                LeaseTimeToLiveRequest.newBuilder().setID(42).build())
                        .getTTL());
        assertEquals(2, events.size(), "the creation and revision 3 only: " + events);

        // the store goes on where the failed batch began
        assertEquals(4, store.put(put("k", "3")).getHeader().getRevision());
        assertEquals(
                60,
                store.leaseGrant(LeaseGrantRequest.newBuilder()
                                .setID(42)
                                .setTTL(60)
                                .build())
                        .getTTL());
    }

    @Test
    void aReaderWaitsForTheCommitOfAWriteAppliedBeforeIt() throws Exception {
        backend.holdNext();
        CompletableFuture<Long> write =
                async(() -> store.put(put("k", "1")).getHeader().getRevision());
        backend.awaitHeld();
        Thread[] readerThread = new Thread[1];
        CompletableFuture<RangeResponse> read = new CompletableFuture<>();
        readerThread[0] = new Thread(() -> read.complete(store.range(get("k"))));
        readerThread[0].start();
        awaitParked(readerThread[0]);
        assertTrue(!read.isDone(), "a read served a write that was not durable yet: " + read.getNow(null));
        backend.release();
        assertEquals(2, write.get(30, TimeUnit.SECONDS));
        RangeResponse r = read.get(30, TimeUnit.SECONDS);
        assertEquals(2, r.getHeader().getRevision());
        assertEquals("1", r.getKvs(0).getValue().toStringUtf8());
    }

    private String value(String key) {
        return store.range(get(key)).getKvs(0).getValue().toStringUtf8();
    }

    private final List<Thread> writers = new CopyOnWriteArrayList<>();

    private <T> CompletableFuture<T> async(Supplier<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(call.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        writers.add(t);
        t.start();
        return f;
    }

    /** Waits until the writer started {@code n}-th after the held one is parked in the committer's queue. */
    private void awaitQueued(int n) throws InterruptedException {
        awaitParked(writers.get(n));
    }

    private static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a guard against hanging, not a timing
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(t.isAlive() && System.nanoTime() < deadline, "thread never parked: " + t.getState());
            Thread.sleep(1);
        }
    }

    /** A backend whose next commit can be held until released, or made to fail; it records each commit's size. */
    private static final class HeldBackend implements Backend {
        private final Backend delegate;
        final List<Integer> commitSizes = new CopyOnWriteArrayList<>();
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private volatile boolean failNext;
        private volatile boolean holdNext;

        HeldBackend(Backend delegate) {
            this.delegate = delegate;
        }

        /** Holds the next commit until {@link #release}; once per test. */
        void holdNext() {
            holdNext = true;
        }

        void failNext() {
            failNext = true;
        }

        void awaitHeld() throws InterruptedException {
            assertTrue(held.await(30, TimeUnit.SECONDS), "no commit came");
        }

        void release() {
            release.countDown();
        }

        @Override
        public Contents load() {
            return delegate.load();
        }

        @Override
        public void commit(List<Change> batch) {
            boolean fail = failNext; // read on entry: a failure asked for while this commit is held is the next one's
            failNext = false;
            if (holdNext) {
                holdNext = false;
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int writes = batch.size();
            if (fail) {
                throw new BackendException("injected failure of a commit of " + writes, null);
            }
            delegate.commit(batch);
            commitSizes.add(writes);
        }

        @Override
        public void compact(long revision, List<io.etcd.jetcd.api.KeyValue> dropped) {
            delegate.compact(revision, dropped);
        }

        @Override
        public long[] ids(long clusterId, long memberId) {
            return delegate.ids(clusterId, memberId);
        }

        @Override
        public long sizeBytes() {
            return delegate.sizeBytes();
        }

        @Override
        public long sizeInUseBytes() {
            return delegate.sizeInUseBytes();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
