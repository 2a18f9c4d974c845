package io.kubetwin.etcd.mvcc;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Range, put, delete and transactions on one {@link WriteTxn}, line by line after
 * server/etcdserver/txn/txn.go (executeRange, put, deleteRange, executeTxn, checkTxn, applyCompare). Headers
 * carry only the revision; {@link EtcdStore} fills in the cluster and member ids.
 */
final class TxnExecutor {
    private final MvccIndex index;
    private final Lessor lessor;

    TxnExecutor(MvccIndex index, Lessor lessor) {
        this.index = index;
        this.lessor = lessor;
    }

    /** etcd's mkGteRange: a range end of "\0" means every key from the start key; an empty one a single key. */
    static ByteString gteRange(ByteString rangeEnd) {
        if (rangeEnd.size() == 1 && rangeEnd.byteAt(0) == 0) {
            return ByteString.EMPTY;
        }
        return rangeEnd.isEmpty() ? null : rangeEnd;
    }

    RangeResponse range(long currentRev, RangeRequest r) {
        long limit = r.getLimit();
        boolean sortOrFilter = r.getSortOrder() != RangeRequest.SortOrder.NONE
                || r.getMinModRevision() != 0
                || r.getMaxModRevision() != 0
                || r.getMinCreateRevision() != 0
                || r.getMaxCreateRevision() != 0;
        if (sortOrFilter) {
            limit = 0;
        }
        if (limit > 0) {
            limit++; // one extra for the 'more' flag
        }
        long rev = r.getRevision();
        if (rev > currentRev) {
            throw EtcdError.FUTURE_REV.exception();
        }
        if (rev <= 0) {
            rev = currentRev;
        }
        if (rev < index.compactRevision()) {
            throw EtcdError.COMPACTED.exception();
        }
        MvccIndex.Page page = index.range(r.getKey(), gteRange(r.getRangeEnd()), rev, limit, r.getCountOnly());
        List<KeyValue> kvs = new ArrayList<>(page.kvs());
        if (r.getMaxModRevision() != 0) {
            kvs.removeIf(kv -> kv.getModRevision() > r.getMaxModRevision());
        }
        if (r.getMinModRevision() != 0) {
            kvs.removeIf(kv -> kv.getModRevision() < r.getMinModRevision());
        }
        if (r.getMaxCreateRevision() != 0) {
            kvs.removeIf(kv -> kv.getCreateRevision() > r.getMaxCreateRevision());
        }
        if (r.getMinCreateRevision() != 0) {
            kvs.removeIf(kv -> kv.getCreateRevision() < r.getMinCreateRevision());
        }
        RangeRequest.SortOrder order = r.getSortOrder();
        RangeRequest.SortTarget target = r.getSortTarget();
        if (target != RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.NONE) {
            order = RangeRequest.SortOrder.ASCEND; // the index returns key order; other targets sort ascending
        } else if (target == RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.ASCEND) {
            order = RangeRequest.SortOrder.NONE; // already in key order
        }
        if (order != RangeRequest.SortOrder.NONE) {
            Comparator<KeyValue> by = sorter(target);
            kvs.sort(order == RangeRequest.SortOrder.DESCEND ? by.reversed() : by);
        }
        RangeResponse.Builder resp = RangeResponse.newBuilder();
        if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
            kvs = kvs.subList(0, (int) r.getLimit());
            resp.setMore(true);
        }
        for (KeyValue kv : kvs) {
            resp.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
        }
        return resp.setHeader(header(currentRev)).setCount(page.count()).build();
    }

    private static Comparator<KeyValue> sorter(RangeRequest.SortTarget target) {
        return switch (target) {
            case KEY -> Comparator.comparing(KeyValue::getKey, MvccIndex.KEY_ORDER);
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> Comparator.comparing(KeyValue::getValue, MvccIndex.KEY_ORDER);
            default -> throw EtcdError.INVALID_SORT_OPTION.exception();
        };
    }

    static ResponseHeader header(long rev) {
        return ResponseHeader.newBuilder().setRevision(rev).build();
    }

    /** Checks a put against the current state (checkPut): the previous key for ignore_*, the lease. */
    void checkPut(long rev, PutRequest p) {
        if ((p.getIgnoreValue() || p.getIgnoreLease()) && index.get(p.getKey(), rev) == null) {
            throw EtcdError.KEY_NOT_FOUND.exception();
        }
        if (p.getLease() != 0 && lessor.get(p.getLease()) == null) {
            throw EtcdError.LEASE_NOT_FOUND.exception();
        }
    }

    PutResponse put(WriteTxn txn, PutRequest p) {
        PutResponse.Builder resp = PutResponse.newBuilder();
        ByteString value = p.getValue();
        long lease = p.getLease();
        KeyValue prev = null;
        if (p.getIgnoreValue() || p.getIgnoreLease() || p.getPrevKv()) {
            prev = index.get(p.getKey(), txn.readRev());
        }
        if ((p.getIgnoreValue() || p.getIgnoreLease()) && prev == null) {
            throw EtcdError.KEY_NOT_FOUND.exception();
        }
        if (p.getIgnoreValue()) {
            value = prev.getValue();
        }
        if (p.getIgnoreLease()) {
            lease = prev.getLease();
        }
        if (p.getPrevKv() && prev != null) {
            resp.setPrevKv(prev);
        }
        long rev = txn.put(p.getKey(), value, lease);
        return resp.setHeader(header(rev)).build();
    }

    DeleteRangeResponse deleteRange(WriteTxn txn, DeleteRangeRequest d) {
        DeleteRangeResponse.Builder resp = DeleteRangeResponse.newBuilder();
        ByteString end = gteRange(d.getRangeEnd());
        if (d.getPrevKv()) {
            resp.addAllPrevKvs(
                    index.range(d.getKey(), end, txn.readRev(), 0, false).kvs());
        }
        long deleted = txn.deleteRange(d.getKey(), end);
        long rev = deleted != 0 || !txn.changes().isEmpty() ? txn.beginRev() + 1 : txn.beginRev();
        return resp.setHeader(header(rev)).setDeleted(deleted).build();
    }

    /** The branch each (nested) transaction takes, in depth-first order (compareToPath). */
    List<Boolean> path(long rev, TxnRequest t) {
        List<Boolean> path = new ArrayList<>();
        addPath(rev, t, path);
        return path;
    }

    private void addPath(long rev, TxnRequest t, List<Boolean> path) {
        boolean ok = true;
        for (Compare c : t.getCompareList()) {
            if (!compare(rev, c)) {
                ok = false;
                break;
            }
        }
        path.add(ok);
        for (RequestOp op : ok ? t.getSuccessList() : t.getFailureList()) {
            if (op.hasRequestTxn()) {
                addPath(rev, op.getRequestTxn(), path);
            }
        }
    }

    /** Pre-checks the chosen branches against the state before the transaction (checkTxn). */
    int checkTxn(long rev, TxnRequest t, List<Boolean> path, int at) {
        int next = at + 1;
        for (RequestOp op : path.get(at) ? t.getSuccessList() : t.getFailureList()) {
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> {
                    long want = op.getRequestRange().getRevision();
                    if (want > rev) {
                        throw EtcdError.FUTURE_REV.exception();
                    }
                    if (want != 0 && want < index.compactRevision()) {
                        throw EtcdError.COMPACTED.exception();
                    }
                }
                case REQUEST_PUT -> checkPut(rev, op.getRequestPut());
                case REQUEST_TXN -> next = checkTxn(rev, op.getRequestTxn(), path, next);
                default -> {}
            }
        }
        return next;
    }

    /** Executes the chosen branches; returns the response and the next path index (executeTxn). */
    TxnResponse.Builder executeTxn(WriteTxn txn, TxnRequest t, List<Boolean> path, int[] at) {
        boolean ok = path.get(at[0]++);
        TxnResponse.Builder resp = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? t.getSuccessList() : t.getFailureList()) {
            ResponseOp.Builder r = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> r.setResponseRange(range(txn.readRev(), op.getRequestRange()));
                case REQUEST_PUT -> r.setResponsePut(put(txn, op.getRequestPut()));
                case REQUEST_DELETE_RANGE -> r.setResponseDeleteRange(deleteRange(txn, op.getRequestDeleteRange()));
                case REQUEST_TXN -> {
                    TxnResponse.Builder inner = executeTxn(txn, op.getRequestTxn(), path, at);
                    r.setResponseTxn(inner.setHeader(ResponseHeader.getDefaultInstance()));
                }
                default -> {}
            }
            resp.addResponses(r);
        }
        return resp;
    }

    /** One compare against the keys in its range (applyCompare, compareKV). */
    boolean compare(long rev, Compare c) {
        List<KeyValue> kvs = index.range(c.getKey(), gteRange(c.getRangeEnd()), rev, 0, false)
                .kvs();
        int target = c.getTargetValue();
        if (kvs.isEmpty()) {
            if (target == Compare.CompareTarget.VALUE_VALUE) {
                return false; // a missing value never compares: nil and empty are the same in gRPC
            }
            return compareKv(c, target, KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : kvs) {
            if (!compareKv(c, target, kv)) {
                return false;
            }
        }
        return true;
    }

    /** Compare.CompareTarget.LEASE (4) and Compare.lease (field 8) postdate jetcd's copy of rpc.proto. */
    static final int TARGET_LEASE = 4;

    static final int FIELD_COMPARE_LEASE = 8;

    private static boolean compareKv(Compare c, int target, KeyValue kv) {
        int result;
        switch (target) {
            case Compare.CompareTarget.VALUE_VALUE -> {
                ByteString want =
                        c.getTargetUnionCase() == Compare.TargetUnionCase.VALUE ? c.getValue() : ByteString.EMPTY;
                result = Integer.signum(MvccIndex.KEY_ORDER.compare(kv.getValue(), want));
            }
            case Compare.CompareTarget.CREATE_VALUE ->
                result = Long.compare(
                        kv.getCreateRevision(),
                        c.getTargetUnionCase() == Compare.TargetUnionCase.CREATE_REVISION ? c.getCreateRevision() : 0);
            case Compare.CompareTarget.MOD_VALUE ->
                result = Long.compare(
                        kv.getModRevision(),
                        c.getTargetUnionCase() == Compare.TargetUnionCase.MOD_REVISION ? c.getModRevision() : 0);
            case Compare.CompareTarget.VERSION_VALUE ->
                result = Long.compare(
                        kv.getVersion(),
                        c.getTargetUnionCase() == Compare.TargetUnionCase.VERSION ? c.getVersion() : 0);
            case TARGET_LEASE -> result = Long.compare(kv.getLease(), compareLease(c));
            default -> result = 0;
        }
        return switch (c.getResultValue()) {
            case Compare.CompareResult.EQUAL_VALUE -> result == 0;
            case Compare.CompareResult.NOT_EQUAL_VALUE -> result != 0;
            case Compare.CompareResult.GREATER_VALUE -> result > 0;
            case Compare.CompareResult.LESS_VALUE -> result < 0;
            default -> true;
        };
    }

    private static long compareLease(Compare c) {
        var field = c.getUnknownFields().getField(FIELD_COMPARE_LEASE);
        if (field == null || field.getVarintList().isEmpty()) {
            return 0;
        }
        return field.getVarintList().get(field.getVarintList().size() - 1);
    }
}
