package io.kubetwin.etcd.mvcc;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Request validation before the store sees a request, after server/etcdserver/api/v3rpc/key.go
 * (checkRangeRequest, checkPutRequest, checkDeleteRequest, checkTxnRequest, checkIntervals), and the quota
 * costs of server/storage/quota.go.
 */
final class RequestChecks {
    private static final int KV_OVERHEAD = 256;

    private RequestChecks() {}

    static void checkRange(RangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdError.EMPTY_KEY.exception();
        }
        if (r.getSortOrder() == RangeRequest.SortOrder.UNRECOGNIZED
                || r.getSortTarget() == RangeRequest.SortTarget.UNRECOGNIZED) {
            throw EtcdError.INVALID_SORT_OPTION.exception();
        }
    }

    static void checkPut(PutRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdError.EMPTY_KEY.exception();
        }
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            throw EtcdError.VALUE_PROVIDED.exception();
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            throw EtcdError.LEASE_PROVIDED.exception();
        }
    }

    static void checkDelete(DeleteRangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw EtcdError.EMPTY_KEY.exception();
        }
    }

    static void checkTxn(TxnRequest r, int maxTxnOps) {
        int opc = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
        if (opc > maxTxnOps) {
            throw EtcdError.TOO_MANY_OPS.exception();
        }
        for (Compare c : r.getCompareList()) {
            if (c.getKey().isEmpty()) {
                throw EtcdError.EMPTY_KEY.exception();
            }
        }
        for (RequestOp op : r.getSuccessList()) {
            checkOp(op, maxTxnOps - opc);
        }
        for (RequestOp op : r.getFailureList()) {
            checkOp(op, maxTxnOps - opc);
        }
        checkIntervals(r.getSuccessList());
        checkIntervals(r.getFailureList());
    }

    private static void checkOp(RequestOp op, int maxTxnOps) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> checkRange(op.getRequestRange());
            case REQUEST_PUT -> checkPut(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> checkDelete(op.getRequestDeleteRange());
            case REQUEST_TXN -> checkTxn(op.getRequestTxn(), maxTxnOps);
            default -> {}
        }
    }

    /** A deleted interval: [start, end), or the single key {@code start} when end is null. */
    private record Interval(ByteString start, ByteString end) {
        boolean contains(ByteString key) {
            if (end == null) {
                return start.equals(key);
            }
            return MvccIndex.KEY_ORDER.compare(start, key) <= 0 && MvccIndex.KEY_ORDER.compare(key, end) < 0;
        }
    }

    private record Found(Set<ByteString> puts, List<Interval> dels) {
        boolean deleted(ByteString key) {
            return dels.stream().anyMatch(d -> d.contains(key));
        }
    }

    /** No key may be put twice, or put and deleted, in one branch (checkIntervals). */
    private static Found checkIntervals(List<RequestOp> reqs) {
        List<Interval> dels = new java.util.ArrayList<>();
        for (RequestOp op : reqs) {
            if (op.hasRequestDeleteRange()) {
                DeleteRangeRequest d = op.getRequestDeleteRange();
                dels.add(new Interval(d.getKey(), d.getRangeEnd().isEmpty() ? null : d.getRangeEnd()));
            }
        }
        Found found = new Found(new HashSet<>(), dels);
        for (RequestOp op : reqs) {
            if (!op.hasRequestTxn()) {
                continue;
            }
            Found then = checkIntervals(op.getRequestTxn().getSuccessList());
            Found otherwise = checkIntervals(op.getRequestTxn().getFailureList());
            for (ByteString k : then.puts()) {
                if (found.puts().contains(k) || found.deleted(k)) {
                    throw EtcdError.DUPLICATE_KEY.exception();
                }
                found.puts().add(k);
            }
            for (ByteString k : otherwise.puts()) {
                if ((found.puts().contains(k) && !then.puts().contains(k)) || found.deleted(k)) {
                    throw EtcdError.DUPLICATE_KEY.exception();
                }
                found.puts().add(k);
            }
            dels.addAll(then.dels());
            dels.addAll(otherwise.dels());
        }
        for (RequestOp op : reqs) {
            if (!op.hasRequestPut()) {
                continue;
            }
            ByteString k = op.getRequestPut().getKey();
            if (found.puts().contains(k) || found.deleted(k)) {
                throw EtcdError.DUPLICATE_KEY.exception();
            }
            found.puts().add(k);
        }
        return found;
    }

    static boolean isReadOnly(TxnRequest r) {
        return readOnly(r.getSuccessList()) && readOnly(r.getFailureList());
    }

    private static boolean readOnly(List<RequestOp> ops) {
        for (RequestOp op : ops) {
            if (op.hasRequestPut() || op.hasRequestDeleteRange()) {
                return false;
            }
            if (op.hasRequestTxn() && !isReadOnly(op.getRequestTxn())) {
                return false;
            }
        }
        return true;
    }

    static long costPut(PutRequest p) {
        return KV_OVERHEAD + p.getKey().size() + p.getValue().size();
    }

    static long costTxn(TxnRequest t) {
        return Math.max(costOps(t.getSuccessList()), costOps(t.getFailureList()));
    }

    private static long costOps(List<RequestOp> ops) {
        long c = 0;
        for (RequestOp op : ops) {
            if (op.hasRequestPut()) {
                c += costPut(op.getRequestPut());
            }
        }
        return c;
    }
}
