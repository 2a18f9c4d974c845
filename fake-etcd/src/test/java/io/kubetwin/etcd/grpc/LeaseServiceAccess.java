package io.kubetwin.etcd.grpc;

import com.google.protobuf.Empty;
import io.grpc.MethodDescriptor;

/** Gives tests the hand-written LeaseLeases method descriptor. */
public final class LeaseServiceAccess {
    private LeaseServiceAccess() {}

    public static MethodDescriptor<Empty, Empty> leaseLeases() {
        return LeaseService.LEASE_LEASES;
    }
}
