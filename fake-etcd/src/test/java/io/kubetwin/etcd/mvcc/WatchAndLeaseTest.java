package io.kubetwin.etcd.mvcc;

import static io.kubetwin.etcd.mvcc.Kv.b;
import static io.kubetwin.etcd.mvcc.Kv.del;
import static io.kubetwin.etcd.mvcc.Kv.get;
import static io.kubetwin.etcd.mvcc.Kv.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Watch streams (v3rpc/watch.go, mvcc/watchable_store.go) and leases (lease/lessor.go). */
class WatchAndLeaseTest {
    private final EtcdStore store = EtcdStore.open(
            SqliteBackend.inMemory(),
            new StoreOptions(128, 1536 * 1024, 0, 1, Duration.ofMillis(200), Duration.ofMillis(100)),
            1,
            1);
    private final List<WatchResponse> got = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        store.close();
    }

    private static WatchCreateRequest.Builder watch(String key) {
        return WatchCreateRequest.newBuilder().setKey(b(key));
    }

    @Test
    void createdThenEventsOfEachRevisionWithPrevKvAndFilters() {
        store.put(put("a", "0")); // 2
        WatchStream s = store.openWatchStream(got::add);
        s.create(watch("a").setPrevKv(true).build());
        s.create(watch("a").addFilters(WatchCreateRequest.FilterType.NOPUT).build());
        store.put(put("a", "1")); // 3
        store.deleteRange(del("a")); // 4
        store.put(put("b", "x")); // 5: not watched

        assertEquals(5, got.size(), got.toString());
        WatchResponse created = got.get(0);
        assertTrue(created.getCreated());
        assertEquals(0, created.getWatchId());
        assertEquals(2, created.getHeader().getRevision());
        assertEquals(1, got.get(1).getWatchId());

        WatchResponse put = got.get(2);
        assertEquals(0, put.getWatchId());
        assertEquals(3, put.getHeader().getRevision());
        Event e = put.getEvents(0);
        assertEquals(Event.EventType.PUT, e.getType());
        assertEquals(b("0"), e.getPrevKv().getValue());

        WatchResponse delete = got.get(3);
        assertEquals(0, delete.getWatchId());
        assertEquals(Event.EventType.DELETE, delete.getEvents(0).getType());
        assertEquals(4, delete.getEvents(0).getKv().getModRevision());
        assertEquals(0, delete.getEvents(0).getKv().getVersion());
        assertEquals(b("1"), delete.getEvents(0).getPrevKv().getValue());

        WatchResponse nopPut = got.get(4); // the NOPUT watcher sees only the delete
        assertEquals(1, nopPut.getWatchId());
        assertEquals(Event.EventType.DELETE, nopPut.getEvents(0).getType());
        s.close();
    }

    @Test
    void startRevisionReplaysHistoryAndACompactedOneIsCanceled() {
        store.put(put("k/1", "a")); // 2
        store.put(put("k/2", "b")); // 3
        store.put(put("k/1", "c")); // 4
        WatchStream s = store.openWatchStream(got::add);
        s.create(watch("k/").setRangeEnd(Kv.prefixEnd("k/")).setStartRevision(3).build());
        assertEquals(2, got.size());
        WatchResponse history = got.get(1);
        assertEquals(4, history.getHeader().getRevision());
        assertEquals(2, history.getEventsCount());
        assertEquals(3, history.getEvents(0).getKv().getModRevision());
        assertEquals(4, history.getEvents(1).getKv().getModRevision());

        store.compact(CompactionRequest.newBuilder().setRevision(4).build());
        got.clear();
        s.create(watch("k/1").setStartRevision(2).build());
        assertEquals(2, got.size());
        assertTrue(got.get(0).getCreated());
        WatchResponse canceled = got.get(1);
        assertTrue(canceled.getCanceled());
        assertEquals(4, canceled.getCompactRevision());
        assertEquals(1, canceled.getWatchId());
        s.close();
    }

    @Test
    void cancelProgressRequestAndInvalidRanges() {
        WatchStream s = store.openWatchStream(got::add);
        s.requestProgress(); // no watchers: etcd sends nothing
        assertEquals(0, got.size());
        s.create(watch("a").build());
        s.requestProgress();
        WatchResponse progress = got.get(1);
        assertEquals(WatchStream.INVALID_WATCH_ID, progress.getWatchId());
        assertEquals(0, progress.getEventsCount());
        assertEquals(1, progress.getHeader().getRevision());

        s.cancel(0);
        WatchResponse canceled = got.get(2);
        assertTrue(canceled.getCanceled());
        assertEquals(0, canceled.getWatchId());
        s.cancel(0); // unknown: no answer
        assertEquals(3, got.size());

        s.create(watch("b").setRangeEnd(b("a")).build());
        WatchResponse empty = got.get(3);
        assertTrue(empty.getCreated());
        assertTrue(empty.getCanceled());
        assertEquals(-1, empty.getWatchId());
        assertEquals("mvcc: watcher range is empty", empty.getCancelReason());
        s.close();
    }

    @Test
    void fragmentSplitsLargeResponses() {
        EtcdStore small =
                EtcdStore.open(SqliteBackend.inMemory(), StoreOptions.defaults().withMaxRequestBytes(1000), 1, 1);
        try {
            for (int i = 0; i < 5; i++) {
                small.put(put("f/" + i, "x".repeat(300)));
            }
            WatchStream s = small.openWatchStream(got::add);
            UnknownFieldSet fragment = UnknownFieldSet.newBuilder()
                    .addField(
                            WatchStream.FIELD_CREATE_FRAGMENT,
                            UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                    .build();
            s.create(watch("f/")
                    .setRangeEnd(Kv.prefixEnd("f/"))
                    .setStartRevision(1)
                    .setUnknownFields(fragment)
                    .build());
            List<WatchResponse> parts = new ArrayList<>(got.subList(1, got.size()));
            assertTrue(parts.size() > 1, parts.toString());
            int events = 0;
            for (int i = 0; i < parts.size(); i++) {
                WatchResponse p = parts.get(i);
                boolean fragmentFlag = !p.getUnknownFields()
                        .getField(WatchStream.FIELD_RESPONSE_FRAGMENT)
                        .getVarintList()
                        .isEmpty();
                assertEquals(i < parts.size() - 1, fragmentFlag, "fragment flag of part " + i);
                assertTrue(p.getSerializedSize() < 1000 || p.getEventsCount() == 1);
                events += p.getEventsCount();
            }
            assertEquals(5, events);
            s.close();
        } finally {
            small.close();
        }
    }

    @Test
    void progressNotifyReachesIdleWatchers() throws InterruptedException {
        WatchStream s = store.openWatchStream(got::add);
        s.create(watch("idle").setProgressNotify(true).build());
        for (int i = 0; i < 100 && got.size() < 2; i++) {
            Thread.sleep(50);
        }
        WatchResponse progress = got.get(1);
        assertEquals(0, progress.getWatchId());
        assertEquals(0, progress.getEventsCount());
        assertFalse(progress.getCanceled());
        s.close();
    }

    @Test
    void leasesGrantTtlKeysRevokeAndExpiry() throws InterruptedException {
        var grant = store.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build());
        long id = grant.getID();
        assertEquals(60, grant.getTTL());
        store.put(put("l/1", "a").toBuilder().setLease(id).build());
        store.put(put("l/2", "b").toBuilder().setLease(id).build());
        var ttl = store.leaseTimeToLive(
                LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build());
        assertEquals(60, ttl.getGrantedTTL());
        assertTrue(ttl.getTTL() > 0 && ttl.getTTL() <= 60);
        assertEquals(List.of(b("l/1"), b("l/2")), ttl.getKeysList());
        assertEquals(List.of(id), store.leaseIds());
        assertEquals(60, store.leaseKeepAlive(id).getTTL());

        long before = store.revision();
        store.leaseRevoke(id);
        assertEquals(before + 1, store.revision()); // both keys go in one revision
        assertEquals(0, store.range(get("l/1")).getKvsCount());
        assertEquals(
                -1,
                store.leaseTimeToLive(
                                LeaseTimeToLiveRequest.newBuilder().setID(id).build())
                        .getTTL());
        assertEquals(0, store.leaseKeepAlive(id).getTTL());
        EtcdException e = assertThrows(EtcdException.class, () -> store.leaseRevoke(id));
        assertEquals(EtcdError.LEASE_NOT_FOUND, e.error());
        assertEquals(
                EtcdError.LEASE_EXIST,
                assertThrows(EtcdException.class, () -> {
                            store.leaseGrant(LeaseGrantRequest.newBuilder()
                                    .setID(7)
                                    .setTTL(5)
                                    .build());
                            store.leaseGrant(LeaseGrantRequest.newBuilder()
                                    .setID(7)
                                    .setTTL(5)
                                    .build());
                        })
                        .error());
        assertEquals(
                EtcdError.LEASE_TTL_TOO_LARGE,
                assertThrows(
                                EtcdException.class,
                                () -> store.leaseGrant(LeaseGrantRequest.newBuilder()
                                        .setTTL(9_000_000_001L)
                                        .build()))
                        .error());

        long shortLease = store.leaseGrant(
                        LeaseGrantRequest.newBuilder().setTTL(1).build())
                .getID();
        store.put(put("short", "x").toBuilder().setLease(shortLease).build());
        for (int i = 0; i < 100 && store.range(get("short")).getKvsCount() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, store.range(get("short")).getKvsCount());
        assertFalse(store.leaseIds().contains(shortLease));
    }

    @Test
    void theMinimumLeaseTtlIsEtcdsTwoSeconds() {
        EtcdStore defaults = EtcdStore.inMemory();
        try {
            assertEquals(
                    2,
                    defaults.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(1).build())
                            .getTTL());
        } finally {
            defaults.close();
        }
    }
}
