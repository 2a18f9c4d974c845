package io.kubetwin.etcd.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.kubetwin.etcd.mvcc.EtcdStore;

/**
 * etcdserverpb.Lease (v3rpc/lease.go). LeaseLeases is not in jetcd's copy of rpc.proto: {@link #definition}
 * adds it with its wire format written here (LeaseLeasesResponse: header = 1, repeated LeaseStatus leases = 2,
 * LeaseStatus.ID = 1).
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
    static final MethodDescriptor<Empty, Empty> LEASE_LEASES = MethodDescriptor.<Empty, Empty>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(LeaseGrpc.SERVICE_NAME, "LeaseLeases"))
            .setRequestMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(Empty.getDefaultInstance()))
            .build();

    private final EtcdStore store;

    public LeaseService(EtcdStore store) {
        this.store = store;
    }

    /** The service with LeaseLeases added. */
    public ServerServiceDefinition definition() {
        ServerServiceDefinition generated = bindService();
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(LeaseGrpc.SERVICE_NAME);
        for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
            b.addMethod(m);
        }
        b.addMethod(LEASE_LEASES, ServerCalls.asyncUnaryCall(this::leaseLeases));
        return b.build();
    }

    private void leaseLeases(Empty request, StreamObserver<Empty> observer) {
        GrpcErrors.unary(observer, () -> {
            UnknownFieldSet.Field.Builder leases = UnknownFieldSet.Field.newBuilder();
            for (long id : store.leaseIds()) {
                leases.addLengthDelimited(UnknownFieldSet.newBuilder()
                        .addField(
                                1,
                                UnknownFieldSet.Field.newBuilder().addVarint(id).build())
                        .build()
                        .toByteString());
            }
            ByteString header = store.header(store.revision()).toByteString();
            return Empty.newBuilder()
                    .setUnknownFields(UnknownFieldSet.newBuilder()
                            .addField(
                                    1,
                                    UnknownFieldSet.Field.newBuilder()
                                            .addLengthDelimited(header)
                                            .build())
                            .addField(2, leases.build())
                            .build())
                    .build();
        });
    }

    @Override
    public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> observer) {
        GrpcErrors.unary(observer, () -> store.leaseGrant(request));
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> observer) {
        GrpcErrors.unary(observer, () -> store.leaseRevoke(request.getID()));
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> observer) {
        GrpcErrors.unary(observer, () -> store.leaseTimeToLive(request));
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveRequest request) {
                LeaseKeepAliveResponse resp;
                try {
                    resp = store.leaseKeepAlive(request.getID());
                } catch (RuntimeException e) {
                    responses.onError(GrpcErrors.toStatus(e).asRuntimeException());
                    return;
                }
                synchronized (responses) {
                    responses.onNext(resp);
                }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                synchronized (responses) {
                    responses.onCompleted();
                }
            }
        };
    }
}
