package io.kubetwin.etcd.grpc;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.stub.StreamObserver;
import io.kubetwin.etcd.mvcc.EtcdStore;

/** etcdserverpb.KV (v3rpc/key.go). Every read is linearizable: a single member has nothing to wait for. */
public final class KvService extends KVGrpc.KVImplBase {
    private final EtcdStore store;

    public KvService(EtcdStore store) {
        this.store = store;
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> observer) {
        GrpcErrors.unary(observer, () -> store.range(request));
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> observer) {
        GrpcErrors.unary(observer, () -> store.put(request));
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> observer) {
        GrpcErrors.unary(observer, () -> store.deleteRange(request));
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> observer) {
        GrpcErrors.unary(observer, () -> store.txn(request));
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> observer) {
        GrpcErrors.unary(observer, () -> store.compact(request));
    }
}
