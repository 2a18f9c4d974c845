package io.kubetwin.kubelet.node;

import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.pods.PodSource;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The fake kubelet as a member of a cluster, with the identity of its {@code --kubeconfig} (a client certificate
 * {@code system:node:<name>} in {@code system:nodes}, as the Node authorizer and NodeRestriction expect):
 * registers its Node (pkg/kubelet/kubelet_node_status.go registerWithAPIServer: create, and an existing Node of
 * the same name is taken over), reports it Ready through {@code nodes/<name>/status}, and keeps the pods bound to
 * it from a list and watch ({@link ApiserverPodSource}), reports them Running ({@link PodStatusWriter}) and renews
 * its node Lease every 10 s ({@link NodeLease}). Registration is done once at start; the Node's own status is not
 * re-posted (with a lease the kubelet re-posts it only every 5 minutes or on change). Thread-safe.
 */
public final class KubeletNode {
    private static final Logger LOG = Logger.getLogger(KubeletNode.class.getName());

    private final ApiserverPodSource pods;
    private final PodStatusWriter statuses;
    private final ScheduledExecutorService heartbeat;

    private KubeletNode(ApiserverPodSource pods, PodStatusWriter statuses, ScheduledExecutorService heartbeat) {
        this.pods = pods;
        this.statuses = statuses;
        this.heartbeat = heartbeat;
    }

    /**
     * Registers the node, reports it Ready and starts watching its pods. Blocks (HTTP): call off the event loop.
     * Fails with the apiserver's answer when the Node cannot be registered or its status not written.
     */
    public static KubeletNode start(ApiClient client, String nodeName, String nodeIp, Clock clock) {
        return start(client, nodeName, nodeIp, NodeObject.DEFAULT_KUBELET_PORT, clock);
    }

    /**
     * As {@link #start(ApiClient, String, String, Clock)}, reporting {@code kubeletPort} as the Node's
     * {@code status.daemonEndpoints.kubeletEndpoint.Port}, where the apiserver dials it for logs.
     */
    public static KubeletNode start(ApiClient client, String nodeName, String nodeIp, int kubeletPort, Clock clock) {
        ApiClient.Response created =
                client.post("/api/v1/nodes", NodeObject.registration(nodeName).toString());
        if (created.code() != 201 && created.code() != 409) {
            throw new IllegalStateException("Unable to register node with API server: " + created.code() + " "
                    + created.statusMessage().orElse(created.body()));
        }
        ApiClient.Response ready = client.patch(
                "/api/v1/nodes/" + nodeName + "/status",
                NodeObject.readyStatus(nodeName, nodeIp, kubeletPort, clock.instant())
                        .toString(),
                "application/merge-patch+json");
        if (ready.code() != 200) {
            throw new IllegalStateException("Error updating node status: " + ready.code() + " "
                    + ready.statusMessage().orElse(ready.body()));
        }
        LOG.info("Successfully registered node " + nodeName);
        NodeLease lease = new NodeLease(client, nodeName, clock);
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-kubelet-lease");
            t.setDaemon(true);
            return t;
        });
        long every = NodeLease.RENEW_INTERVAL.toMillis();
        heartbeat.scheduleWithFixedDelay(() -> renew(lease), 0, every, TimeUnit.MILLISECONDS);
        PodStatusWriter statuses = new PodStatusWriter(client, nodeIp, clock);
        ApiserverPodSource source = new ApiserverPodSource(client, nodeName, statuses::observed);
        CompletableFuture<Void> listed = source.start();
        listed.join();
        return new KubeletNode(source, statuses, heartbeat);
    }

    /** The pods bound to this node, kept up to date by the watch. */
    public PodSource pods() {
        return pods;
    }

    public void stop() {
        heartbeat.shutdownNow();
        pods.stop();
        statuses.stop();
    }

    private static void renew(NodeLease lease) {
        try {
            int code = lease.renew();
            if (code != 200 && code != 201) {
                LOG.info("failed to update lease: " + code);
            }
        } catch (RuntimeException e) { // a beat that fails must not end the schedule
            LOG.info("failed to update lease: " + e.getMessage());
        }
    }
}
