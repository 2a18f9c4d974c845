package io.kubetwin.scenarios.target;

import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.scenarios.model.Capability;
import java.util.Optional;
import java.util.Set;

/**
 * A cluster started for one suite, reduced to a kubeconfig and a few accessors. Closing it stops whatever the
 * target started and removes its files; it is idempotent.
 */
public interface RunningCluster extends AutoCloseable {

    /** The target's name. */
    String target();

    /** What this cluster can do; steps needing anything else are skipped. */
    Set<Capability> capabilities();

    /** The admin kubeconfig (a member of system:masters). */
    Kubeconfig admin();

    /** The client CA, when the runner may issue client certificates from it directly ({@link Capability#CLIENT_CA}). */
    Optional<CertificateAuthority> clientCa();

    /** The audit log, or {@link ClusterAuditLog#NONE} when it cannot be read. */
    ClusterAuditLog auditLog();

    /**
     * The suite's kubelet registered as node {@code node} ({@link Capability#KUBELET}), or empty when this cluster
     * runs none of that name.
     */
    default Optional<KubeletEndpoint> kubelet(String node) {
        return Optional.empty();
    }

    /** The cluster's etcd, for etcd steps ({@link Capability#ETCD}), or empty when it is not reachable. */
    default Optional<EtcdEndpoint> etcd() {
        return Optional.empty();
    }

    /** Human-readable notes shown in the report (versions, insecure modes, ports). */
    String description();

    /**
     * Whether the cluster outlives the suite (an existing cluster reached by kubeconfig): then the runner deletes
     * what the suite created.
     */
    default boolean shared() {
        return false;
    }

    @Override
    void close();
}
