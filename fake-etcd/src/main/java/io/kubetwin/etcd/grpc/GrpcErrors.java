package io.kubetwin.etcd.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kubetwin.etcd.mvcc.EtcdException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The one place where store errors become gRPC statuses (etcd's togRPCError, v3rpc/util.go). */
final class GrpcErrors {
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class.getName());

    private GrpcErrors() {}

    /** Answers a unary call with {@code call}'s result, or with etcd's status for its error. */
    static <T> void unary(StreamObserver<T> observer, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            observer.onError(toStatus(e).asRuntimeException());
            return;
        }
        observer.onNext(result);
        observer.onCompleted();
    }

    static Status toStatus(Throwable e) {
        if (e instanceof EtcdException etcd) {
            return Status.fromCode(etcd.error().code())
                    .withDescription(etcd.error().message());
        }
        // A backend that cannot write is a server failure; etcd would stop, the fake reports it and goes on.
        LOG.log(Level.SEVERE, "request failed", e);
        return Status.INTERNAL.withDescription("etcdserver: " + e.getMessage());
    }
}
