package io.kubetwin.etcd.grpc;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.ResponseHeader;
import io.grpc.stub.StreamObserver;
import io.kubetwin.etcd.mvcc.EtcdStore;

/**
 * etcdserverpb.Cluster (v3rpc/member.go): MemberList of the single member. Its header has no revision, as
 * etcd's ClusterServer.header() leaves it out. Member changes answer UNIMPLEMENTED.
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private final EtcdStore store;
    private final MemberInfo member;

    public ClusterService(EtcdStore store, MemberInfo member) {
        this.store = store;
        this.member = member;
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> observer) {
        GrpcErrors.unary(observer, () -> {
            ResponseHeader full = store.header(0);
            return MemberListResponse.newBuilder()
                    .setHeader(full.toBuilder().clearRevision())
                    .addMembers(Member.newBuilder()
                            .setID(store.memberId())
                            .setName(member.name())
                            .addAllPeerURLs(member.peerUrls())
                            .addAllClientURLs(member.clientUrls()))
                    .build();
        });
    }
}
