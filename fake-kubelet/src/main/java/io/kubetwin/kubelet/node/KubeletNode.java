package io.kubetwin.kubelet.node;

import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.pods.PodSource;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * The fake kubelet as a member of a cluster, with the identity of its {@code --kubeconfig} (a client certificate
 * {@code system:node:<name>} in {@code system:nodes}, as the Node authorizer and NodeRestriction expect):
 * registers its Node (pkg/kubelet/kubelet_node_status.go registerWithAPIServer: create, and an existing Node of
 * the same name is taken over), reports it Ready through {@code nodes/<name>/status}, and keeps the pods bound to
 * it from a list and watch ({@link ApiserverPodSource}). Registration is done once at start; there are no periodic
 * heartbeats or leases yet. Thread-safe.
 */
public final class KubeletNode {
    private static final Logger LOG = Logger.getLogger(KubeletNode.class.getName());

    private final ApiserverPodSource pods;

    private KubeletNode(ApiserverPodSource pods) {
        this.pods = pods;
    }

    /**
     * Registers the node, reports it Ready and starts watching its pods. Blocks (HTTP): call off the event loop.
     * Fails with the apiserver's answer when the Node cannot be registered or its status not written.
     */
    public static KubeletNode start(ApiClient client, String nodeName, String nodeIp, Clock clock) {
        ApiClient.Response created =
                client.post("/api/v1/nodes", NodeObject.registration(nodeName).toString());
        if (created.code() != 201 && created.code() != 409) {
            throw new IllegalStateException("Unable to register node with API server: " + created.code() + " "
                    + created.statusMessage().orElse(created.body()));
        }
        ApiClient.Response ready = client.patch(
                "/api/v1/nodes/" + nodeName + "/status",
                NodeObject.readyStatus(nodeName, nodeIp, clock.instant()).toString(),
                "application/merge-patch+json");
        if (ready.code() != 200) {
            throw new IllegalStateException("Error updating node status: " + ready.code() + " "
                    + ready.statusMessage().orElse(ready.body()));
        }
        LOG.info("Successfully registered node " + nodeName);
        ApiserverPodSource source = new ApiserverPodSource(client, nodeName);
        CompletableFuture<Void> listed = source.start();
        listed.join();
        return new KubeletNode(source);
    }

    /** The pods bound to this node, kept up to date by the watch. */
    public PodSource pods() {
        return pods;
    }

    public void stop() {
        pods.stop();
    }
}
