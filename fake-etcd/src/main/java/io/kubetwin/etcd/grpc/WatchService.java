package io.kubetwin.etcd.grpc;

import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kubetwin.etcd.mvcc.EtcdStore;
import io.kubetwin.etcd.mvcc.WatchStream;

/** etcdserverpb.Watch (v3rpc/watch.go): one {@link WatchStream} per call, created, canceled and asked for progress. */
public final class WatchService extends WatchGrpc.WatchImplBase {
    private final EtcdStore store;

    public WatchService(EtcdStore store) {
        this.store = store;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        // The store calls the sink under its lock, so onNext is never called concurrently.
        WatchStream stream = store.openWatchStream(responses::onNext);
        if (responses instanceof ServerCallStreamObserver<WatchResponse> call) {
            call.setOnCancelHandler(stream::close);
        }
        return new StreamObserver<>() {
            @Override
            public void onNext(WatchRequest request) {
                switch (request.getRequestUnionCase()) {
                    case CREATE_REQUEST -> stream.create(request.getCreateRequest());
                    case CANCEL_REQUEST ->
                        stream.cancel(request.getCancelRequest().getWatchId());
                    case PROGRESS_REQUEST -> stream.requestProgress();
                    default -> {} // etcd ignores an empty request rather than ending the stream
                }
            }

            @Override
            public void onError(Throwable t) {
                stream.close();
            }

            @Override
            public void onCompleted() {
                stream.close();
                responses.onCompleted();
            }
        };
    }
}
