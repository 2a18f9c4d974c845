package io.kubetwin.etcd.grpc;

import java.util.List;

/**
 * This member as Cluster.MemberList and Maintenance.Status describe it.
 *
 * @param name {@code --name}
 * @param peerUrls {@code --initial-advertise-peer-urls}
 * @param clientUrls {@code --advertise-client-urls}
 */
public record MemberInfo(String name, List<String> peerUrls, List<String> clientUrls) {
    /** The etcd release whose answers the store gives (Status.version). */
    public static final String VERSION = "3.6.4";
    /** Status.storageVersion of a 3.6 member. */
    public static final String STORAGE_VERSION = "3.6.0";
    /** The cluster version, as etcd reports it on /version. */
    public static final String CLUSTER_VERSION = "3.6.0";
}
