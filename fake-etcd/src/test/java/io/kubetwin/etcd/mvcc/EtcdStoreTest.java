package io.kubetwin.etcd.mvcc;

import static io.kubetwin.etcd.mvcc.Kv.b;
import static io.kubetwin.etcd.mvcc.Kv.cmpMod;
import static io.kubetwin.etcd.mvcc.Kv.cmpValue;
import static io.kubetwin.etcd.mvcc.Kv.cmpVersion;
import static io.kubetwin.etcd.mvcc.Kv.del;
import static io.kubetwin.etcd.mvcc.Kv.get;
import static io.kubetwin.etcd.mvcc.Kv.opDel;
import static io.kubetwin.etcd.mvcc.Kv.opGet;
import static io.kubetwin.etcd.mvcc.Kv.opPut;
import static io.kubetwin.etcd.mvcc.Kv.prefix;
import static io.kubetwin.etcd.mvcc.Kv.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The store's KV semantics against etcd's (server/etcdserver/txn/txn.go, server/storage/mvcc). */
class EtcdStoreTest {
    private final EtcdStore store = EtcdStore.inMemory();

    @AfterEach
    void close() {
        store.close();
    }

    private static void assertEtcdError(EtcdError expected, org.junit.jupiter.api.function.Executable call) {
        EtcdException e = assertThrows(EtcdException.class, call);
        assertEquals(expected, e.error());
    }

    @Test
    void aFreshStoreIsAtRevisionOneAndTheFirstWriteIsRevisionTwo() {
        assertEquals(1, store.range(get("a")).getHeader().getRevision());
        assertEquals(2, store.put(put("a", "1")).getHeader().getRevision());
        assertEquals(3, store.put(put("a", "2")).getHeader().getRevision());
        KeyValue kv = store.range(get("a")).getKvs(0);
        assertEquals(2, kv.getCreateRevision());
        assertEquals(3, kv.getModRevision());
        assertEquals(2, kv.getVersion());
        assertEquals(b("2"), kv.getValue());
    }

    @Test
    void headersCarryTheClusterAndMemberIdsAndTermTwo() {
        EtcdStore s = EtcdStore.open(SqliteBackend.inMemory(), StoreOptions.defaults(), 77, 88);
        try {
            var h = s.put(put("a", "1")).getHeader();
            assertEquals(77, h.getClusterId());
            assertEquals(88, h.getMemberId());
            assertEquals(2, h.getRaftTerm());
        } finally {
            s.close();
        }
    }

    @Test
    void rangeWithPrefixFromKeyLimitCountAndMore() {
        for (String k : List.of("a", "b/1", "b/2", "b/3", "c")) {
            store.put(put(k, "v-" + k));
        }
        RangeResponse prefix = store.range(prefix("b/").build());
        assertEquals(List.of("b/1", "b/2", "b/3"), keys(prefix));
        assertEquals(3, prefix.getCount());
        assertFalse(prefix.getMore());

        RangeResponse limited = store.range(prefix("b/").setLimit(2).build());
        assertEquals(List.of("b/1", "b/2"), keys(limited));
        assertEquals(3, limited.getCount());
        assertTrue(limited.getMore());

        RangeResponse fromKey = store.range(RangeRequest.newBuilder()
                .setKey(b("b/2"))
                .setRangeEnd(ByteString.copyFrom(new byte[] {0}))
                .build());
        assertEquals(List.of("b/2", "b/3", "c"), keys(fromKey));

        RangeResponse all = store.range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFrom(new byte[] {0}))
                .setRangeEnd(ByteString.copyFrom(new byte[] {0}))
                .setCountOnly(true)
                .build());
        assertEquals(0, all.getKvsCount());
        assertEquals(5, all.getCount());

        RangeResponse keysOnly = store.range(prefix("b/").setKeysOnly(true).build());
        assertEquals(ByteString.EMPTY, keysOnly.getKvs(0).getValue());
    }

    @Test
    void sortByTargetsAndOrders() {
        store.put(put("k1", "z"));
        store.put(put("k2", "a"));
        store.put(put("k3", "m"));
        store.put(put("k1", "y"));
        assertEquals(
                List.of("k3", "k2", "k1"),
                keys(store.range(
                        prefix("k").setSortOrder(RangeRequest.SortOrder.DESCEND).build())));
        assertEquals(
                List.of("k2", "k3", "k1"),
                keys(store.range(
                        prefix("k").setSortTarget(RangeRequest.SortTarget.VALUE).build())));
        assertEquals(
                List.of("k1", "k3", "k2"),
                keys(store.range(prefix("k")
                        .setSortTarget(RangeRequest.SortTarget.MOD)
                        .setSortOrder(RangeRequest.SortOrder.DESCEND)
                        .build())));
        RangeResponse limited = store.range(prefix("k")
                .setSortTarget(RangeRequest.SortTarget.CREATE)
                .setSortOrder(RangeRequest.SortOrder.DESCEND)
                .setLimit(1)
                .build());
        assertEquals(List.of("k3"), keys(limited));
        assertTrue(limited.getMore());
    }

    @Test
    void rangeAtAnOldRevisionAndTheRevisionErrors() {
        store.put(put("a", "1")); // 2
        store.put(put("a", "2")); // 3
        store.deleteRange(del("a")); // 4
        assertEquals(
                b("1"),
                store.range(get("a").toBuilder().setRevision(2).build())
                        .getKvs(0)
                        .getValue());
        RangeResponse atThree = store.range(get("a").toBuilder().setRevision(3).build());
        assertEquals(b("2"), atThree.getKvs(0).getValue());
        assertEquals(4, atThree.getHeader().getRevision()); // the header is the current revision
        assertEquals(0, store.range(get("a")).getKvsCount());
        assertEtcdError(
                EtcdError.FUTURE_REV,
                () -> store.range(get("a").toBuilder().setRevision(5).build()));

        store.compact(CompactionRequest.newBuilder().setRevision(3).build());
        assertEtcdError(
                EtcdError.COMPACTED,
                () -> store.range(get("a").toBuilder().setRevision(2).build()));
        assertEquals(
                b("2"),
                store.range(get("a").toBuilder().setRevision(3).build())
                        .getKvs(0)
                        .getValue());
        assertEtcdError(
                EtcdError.COMPACTED,
                () -> store.compact(
                        CompactionRequest.newBuilder().setRevision(3).build()));
        assertEtcdError(
                EtcdError.FUTURE_REV,
                () -> store.compact(
                        CompactionRequest.newBuilder().setRevision(9).build()));
        assertEquals(3, store.compactRevision());
    }

    @Test
    void putWithPrevKvAndTheIgnoreFlags() {
        store.put(put("a", "1"));
        assertEquals(
                b("1"),
                store.put(put("a", "2").toBuilder().setPrevKv(true).build())
                        .getPrevKv()
                        .getValue());
        store.put(PutRequest.newBuilder().setKey(b("a")).setIgnoreValue(true).build());
        assertEquals(b("2"), store.range(get("a")).getKvs(0).getValue());
        assertEtcdError(
                EtcdError.KEY_NOT_FOUND,
                () -> store.put(PutRequest.newBuilder()
                        .setKey(b("missing"))
                        .setIgnoreValue(true)
                        .build()));
        assertEtcdError(
                EtcdError.VALUE_PROVIDED,
                () -> store.put(put("a", "x").toBuilder().setIgnoreValue(true).build()));
        assertEtcdError(
                EtcdError.LEASE_PROVIDED,
                () -> store.put(put("a", "x").toBuilder()
                        .setIgnoreLease(true)
                        .setLease(5)
                        .build()));
        assertEtcdError(
                EtcdError.LEASE_NOT_FOUND,
                () -> store.put(put("a", "x").toBuilder().setLease(5).build()));
        assertEtcdError(EtcdError.EMPTY_KEY, () -> store.put(put("", "x")));
        assertEtcdError(EtcdError.EMPTY_KEY, () -> store.range(get("")));
    }

    @Test
    void deleteWithPrevKvAndNoRevisionWhenNothingIsDeleted() {
        store.put(put("p/1", "a"));
        store.put(put("p/2", "b"));
        var resp = store.deleteRange(DeleteRangeRequest.newBuilder()
                .setKey(b("p/"))
                .setRangeEnd(Kv.prefixEnd("p/"))
                .setPrevKv(true)
                .build());
        assertEquals(2, resp.getDeleted());
        assertEquals(2, resp.getPrevKvsCount());
        assertEquals(4, resp.getHeader().getRevision());
        var none = store.deleteRange(del("nothing"));
        assertEquals(0, none.getDeleted());
        assertEquals(4, none.getHeader().getRevision());
    }

    @Test
    void txnComparesAndBranches() {
        store.put(put("k", "v1")); // 2
        TxnResponse ok = store.txn(TxnRequest.newBuilder()
                .addCompare(cmpMod("k", Compare.CompareResult.EQUAL, 2))
                .addCompare(cmpVersion("k", Compare.CompareResult.EQUAL, 1))
                .addCompare(cmpValue("k", Compare.CompareResult.EQUAL, "v1"))
                .addSuccess(opPut("k", "v2"))
                .addSuccess(opGet("k"))
                .addFailure(opGet("k"))
                .build());
        assertTrue(ok.getSucceeded());
        assertEquals(3, ok.getHeader().getRevision());
        assertEquals(3, ok.getResponses(0).getResponsePut().getHeader().getRevision());
        // a read after a write in the same transaction sees it
        assertEquals(b("v2"), ok.getResponses(1).getResponseRange().getKvs(0).getValue());

        TxnResponse failed = store.txn(TxnRequest.newBuilder()
                .addCompare(cmpMod("k", Compare.CompareResult.EQUAL, 2))
                .addSuccess(opPut("k", "v3"))
                .addFailure(opGet("k"))
                .build());
        assertFalse(failed.getSucceeded());
        assertEquals(3, failed.getHeader().getRevision());
        assertEquals(
                b("v2"), failed.getResponses(0).getResponseRange().getKvs(0).getValue());

        // a missing key compares as zeros (create_revision = 0 is "does not exist"), never on value
        assertTrue(store.txn(TxnRequest.newBuilder()
                        .addCompare(Compare.newBuilder()
                                .setKey(b("new"))
                                .setTarget(Compare.CompareTarget.CREATE)
                                .setCreateRevision(0))
                        .build())
                .getSucceeded());
        assertFalse(store.txn(TxnRequest.newBuilder()
                        .addCompare(cmpValue("new", Compare.CompareResult.NOT_EQUAL, "x"))
                        .build())
                .getSucceeded());
    }

    @Test
    void txnCompareOnLease() {
        long lease = store.leaseGrant(io.etcd.jetcd.api.LeaseGrantRequest.newBuilder()
                        .setTTL(60)
                        .build())
                .getID();
        store.put(put("k", "v").toBuilder().setLease(lease).build());
        // Compare.target LEASE (4) and Compare.lease (8) as a newer client sends them
        Compare byLease = Compare.newBuilder()
                .setKey(b("k"))
                .setTargetValue(TxnExecutor.TARGET_LEASE)
                .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                        .addField(
                                TxnExecutor.FIELD_COMPARE_LEASE,
                                com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                                        .addVarint(lease)
                                        .build())
                        .build())
                .build();
        assertTrue(
                store.txn(TxnRequest.newBuilder().addCompare(byLease).build()).getSucceeded());
        assertFalse(store.txn(TxnRequest.newBuilder()
                        .addCompare(byLease.toBuilder()
                                .setUnknownFields(com.google.protobuf.UnknownFieldSet.getDefaultInstance()))
                        .build())
                .getSucceeded());
    }

    @Test
    void txnRefusalsWithEtcdsErrors() {
        assertEtcdError(
                EtcdError.DUPLICATE_KEY,
                () -> store.txn(TxnRequest.newBuilder()
                        .addSuccess(opPut("a", "1"))
                        .addSuccess(opPut("a", "2"))
                        .build()));
        assertEtcdError(
                EtcdError.DUPLICATE_KEY,
                () -> store.txn(TxnRequest.newBuilder()
                        .addSuccess(opPut("a", "1"))
                        .addSuccess(opDel("a"))
                        .build()));
        TxnRequest.Builder many = TxnRequest.newBuilder();
        for (int i = 0; i < 129; i++) {
            many.addSuccess(opGet("k" + i));
        }
        assertEtcdError(EtcdError.TOO_MANY_OPS, () -> store.txn(many.build()));
        assertEtcdError(
                EtcdError.LEASE_NOT_FOUND,
                () -> store.txn(TxnRequest.newBuilder()
                        .addSuccess(RequestOp.newBuilder()
                                .setRequestPut(put("a", "1").toBuilder().setLease(42)))
                        .build()));
        // nothing of a refused transaction is applied
        assertEquals(1, store.revision());
    }

    @Test
    void requestTooLargeAndDatabaseSpaceExceeded() {
        EtcdStore small = EtcdStore.open(
                SqliteBackend.inMemory(),
                StoreOptions.defaults().withMaxRequestBytes(1024).withQuotaBackendBytes(64 * 1024),
                1,
                1);
        try {
            assertEtcdError(EtcdError.REQUEST_TOO_LARGE, () -> small.put(put("big", "x".repeat(1100))));
            EtcdException full = assertThrows(EtcdException.class, () -> {
                for (int i = 0; i < 1000; i++) {
                    small.put(put("k" + i, "x".repeat(900)));
                }
            });
            assertEquals(EtcdError.NO_SPACE, full.error());
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.error().code());
            assertEquals("etcdserver: mvcc: database space exceeded", full.getMessage());
            assertTrue(small.noSpaceAlarm());
            // reads still work, puts stay refused while the alarm is raised
            small.range(get("k0"));
            assertEtcdError(EtcdError.NO_SPACE, () -> small.put(put("tiny", "x")));
        } finally {
            small.close();
        }
    }

    private static List<String> keys(RangeResponse r) {
        return r.getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
    }
}
