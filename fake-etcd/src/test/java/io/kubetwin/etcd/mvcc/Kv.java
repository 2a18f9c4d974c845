package io.kubetwin.etcd.mvcc;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;

/** Small builders for etcd requests in tests. */
final class Kv {
    private Kv() {}

    static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static PutRequest put(String key, String value) {
        return PutRequest.newBuilder().setKey(b(key)).setValue(b(value)).build();
    }

    static RangeRequest get(String key) {
        return RangeRequest.newBuilder().setKey(b(key)).build();
    }

    /** clientv3.WithPrefix: range end is the key with its last byte incremented. */
    static RangeRequest.Builder prefix(String key) {
        return RangeRequest.newBuilder().setKey(b(key)).setRangeEnd(prefixEnd(key));
    }

    static ByteString prefixEnd(String key) {
        byte[] k = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        k[k.length - 1]++;
        return ByteString.copyFrom(k);
    }

    static DeleteRangeRequest del(String key) {
        return DeleteRangeRequest.newBuilder().setKey(b(key)).build();
    }

    static RequestOp opPut(String key, String value) {
        return RequestOp.newBuilder().setRequestPut(put(key, value)).build();
    }

    static RequestOp opGet(String key) {
        return RequestOp.newBuilder().setRequestRange(get(key)).build();
    }

    static RequestOp opDel(String key) {
        return RequestOp.newBuilder().setRequestDeleteRange(del(key)).build();
    }

    static Compare cmpMod(String key, Compare.CompareResult r, long rev) {
        return Compare.newBuilder()
                .setKey(b(key))
                .setTarget(Compare.CompareTarget.MOD)
                .setResult(r)
                .setModRevision(rev)
                .build();
    }

    static Compare cmpVersion(String key, Compare.CompareResult r, long version) {
        return Compare.newBuilder()
                .setKey(b(key))
                .setTarget(Compare.CompareTarget.VERSION)
                .setResult(r)
                .setVersion(version)
                .build();
    }

    static Compare cmpValue(String key, Compare.CompareResult r, String value) {
        return Compare.newBuilder()
                .setKey(b(key))
                .setTarget(Compare.CompareTarget.VALUE)
                .setResult(r)
                .setValue(b(value))
                .build();
    }
}
