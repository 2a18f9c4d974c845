package io.kubetwin.reference;

import java.util.List;

/**
 * Several real etcd members forming one cluster on 127.0.0.1 ({@link EtcdProcess.Builder#startCluster}). Each
 * member can be stopped on its own ({@link #member}{@code (i).close()}) to see what its clients do; closing the
 * cluster stops the rest.
 */
public final class EtcdCluster implements AutoCloseable {
    private final List<EtcdProcess> members;

    EtcdCluster(List<EtcdProcess> members) {
        this.members = List.copyOf(members);
    }

    public List<EtcdProcess> members() {
        return members;
    }

    public EtcdProcess member(int index) {
        return members.get(index);
    }

    /** Every member's client URL, in member order. */
    public List<String> urls() {
        return members.stream().map(EtcdProcess::url).toList();
    }

    /** The value of {@code --etcd-servers} (or etcdctl's {@code --endpoints}) naming every member. */
    public String endpoints() {
        return String.join(",", urls());
    }

    @Override
    public void close() {
        for (int i = members.size() - 1; i >= 0; i--) {
            members.get(i).close();
        }
    }
}
