package io.kubetwin.kubelet.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.client.ApiClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The node's heartbeat, as component-helpers/apimachinery/lease/controller.go runs it for the kubelet
 * (pkg/kubelet/nodelease): the Lease {@code kube-node-lease/<node>} (coordination.k8s.io/v1) with
 * {@code holderIdentity} the node name, {@code leaseDurationSeconds} 40 (nodeLeaseDurationSeconds' default) and
 * {@code renewTime} now, owned by the Node; created when missing, otherwise updated with a fresh renewTime every
 * {@link #RENEW_INTERVAL} (a quarter of the duration: 10 s). {@link #renew()} is one beat, so tests drive it with
 * their own clock; {@link KubeletNode} schedules it. Not thread-safe: one caller at a time.
 */
public final class NodeLease {
    static final int LEASE_DURATION_SECONDS = 40;
    public static final Duration RENEW_INTERVAL = Duration.ofSeconds(LEASE_DURATION_SECONDS / 4);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    private final ApiClient client;
    private final String nodeName;
    private final Clock clock;
    private final String path;

    public NodeLease(ApiClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
        this.path = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + nodeName;
    }

    /** One heartbeat: the lease is created or renewed. Blocks (HTTP). Answers the apiserver's final code. */
    public int renew() {
        ApiClient.Response current = client.get(path);
        if (current.code() == 404) {
            ApiClient.Response created = client.post(
                    "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
                    newLease().toString());
            return created.code();
        }
        if (current.code() != 200) {
            return current.code();
        }
        ObjectNode lease = (ObjectNode) current.json();
        ((ObjectNode) lease.path("spec")).put("renewTime", microTime(clock.instant()));
        return client.put(path, lease.toString()).code();
    }

    private ObjectNode newLease() {
        ObjectNode lease = JSON.createObjectNode();
        lease.put("apiVersion", "coordination.k8s.io/v1");
        lease.put("kind", "Lease");
        ObjectNode meta = lease.putObject("metadata");
        meta.put("name", nodeName);
        meta.put("namespace", "kube-node-lease");
        // setNodeOwnerFunc: the lease goes away with its Node
        ApiClient.Response node = client.get("/api/v1/nodes/" + nodeName);
        if (node.code() == 200) {
            meta.putArray("ownerReferences")
                    .addObject()
                    .put("apiVersion", "v1")
                    .put("kind", "Node")
                    .put("name", nodeName)
                    .put("uid", node.json().path("metadata").path("uid").asText());
        }
        ObjectNode spec = lease.putObject("spec");
        spec.put("holderIdentity", nodeName);
        spec.put("leaseDurationSeconds", LEASE_DURATION_SECONDS);
        spec.put("renewTime", microTime(clock.instant()));
        return lease;
    }

    /** metav1.MicroTime: RFC 3339 with exactly six fractional digits, UTC. */
    static String microTime(Instant t) {
        return MICRO_TIME.format(t.truncatedTo(ChronoUnit.MICROS));
    }
}
