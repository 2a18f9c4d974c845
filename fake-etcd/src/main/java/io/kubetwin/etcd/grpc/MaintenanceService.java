package io.kubetwin.etcd.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.DefragmentRequest;
import io.etcd.jetcd.api.DefragmentResponse;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.stub.StreamObserver;
import io.kubetwin.etcd.mvcc.EtcdStore;

/**
 * etcdserverpb.Maintenance (v3rpc/maintenance.go): Status, Alarm and Defragment; Hash, HashKV, Snapshot and
 * MoveLeader answer UNIMPLEMENTED. Status fields newer than jetcd's rpc.proto (raftAppliedIndex = 7,
 * dbSizeInUse = 9, storageVersion = 11, dbSizeQuota = 12, downgradeInfo = 13) are written as raw fields.
 */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    private final EtcdStore store;

    public MaintenanceService(EtcdStore store) {
        this.store = store;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        GrpcErrors.unary(observer, () -> {
            long raftIndex = store.raftIndex();
            UnknownFieldSet newer = UnknownFieldSet.newBuilder()
                    .addField(7, varint(raftIndex))
                    .addField(9, varint(store.dbSizeInUseBytes()))
                    .addField(
                            11,
                            UnknownFieldSet.Field.newBuilder()
                                    .addLengthDelimited(ByteString.copyFromUtf8(MemberInfo.STORAGE_VERSION))
                                    .build())
                    .addField(12, varint(Math.max(0, store.options().quotaBackendBytes())))
                    .addField(
                            13,
                            UnknownFieldSet.Field.newBuilder()
                                    .addLengthDelimited(ByteString.EMPTY)
                                    .build())
                    .build();
            return StatusResponse.newBuilder()
                    .setHeader(store.header(store.revision()))
                    .setVersion(MemberInfo.VERSION)
                    .setDbSize(store.dbSizeBytes())
                    .setLeader(store.memberId())
                    .setRaftIndex(raftIndex)
                    .setRaftTerm(store.header(0).getRaftTerm())
                    .setUnknownFields(newer)
                    .build();
        });
    }

    private static UnknownFieldSet.Field varint(long v) {
        UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
        if (v != 0) {
            f.addVarint(v); // proto3 leaves zero values off the wire
        }
        return f.build();
    }

    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> observer) {
        GrpcErrors.unary(observer, () -> {
            AlarmResponse.Builder b = AlarmResponse.newBuilder().setHeader(store.header(store.revision()));
            boolean wasRaised = store.noSpaceAlarm();
            if (request.getAction() == AlarmRequest.AlarmAction.DEACTIVATE && request.getAlarm() == AlarmType.NOSPACE) {
                store.disarmNoSpace();
            }
            if (request.getAction() != AlarmRequest.AlarmAction.ACTIVATE && wasRaised) {
                b.addAlarms(AlarmMember.newBuilder()
                        .setMemberID(store.memberId())
                        .setAlarm(AlarmType.NOSPACE)
                        .build());
            }
            return b.build();
        });
    }

    @Override
    public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> observer) {
        GrpcErrors.unary(
                observer,
                () -> DefragmentResponse.newBuilder()
                        .setHeader(store.header(store.revision()))
                        .build());
    }
}
