package io.kubetwin.scenarios.target;

import java.util.Optional;

/**
 * A kind of cluster the runner can start (or reach) for a suite. Implementations are cheap to construct and
 * thread-safe; each {@link #start} returns an independent cluster.
 */
public interface Target {

    /** The name used in {@code kubetwin.targets}, reports and {@code pendingFor}. */
    String name();

    /**
     * Whether the target can run on this machine at all. Called once before any suite; a present reason makes
     * every step of every suite SKIPPED on this target with that reason. Must not throw.
     */
    Optional<String> unavailableReason();

    /**
     * Starts (or connects to) a cluster configured as the spec says and returns when it serves requests and its
     * bootstrap RBAC policy exists. The caller closes the result. Throws when the cluster cannot be brought up:
     * the runner reports that as a failure of the suite on this target, not as a skip.
     */
    RunningCluster start(ClusterSpec spec) throws Exception;
}
