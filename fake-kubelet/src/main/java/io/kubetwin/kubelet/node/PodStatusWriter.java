package io.kubetwin.kubelet.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.client.ApiClient;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * The fake's status manager (pkg/kubelet/status/status_manager.go): every pod bound to the node that is not yet
 * Running, finished or being deleted is reported Running ({@link RunningPodStatus}) with a strategic merge patch of
 * {@code pods/NAME/status} as the node identity, which the Node authorizer and NodeRestriction allow. Pod IPs come
 * from the node's pod range in arrival order ({@code 10.244.0.2}, {@code .3}, ...); hostNetwork pods get the node's
 * address. Patches are sent one at a time off the watch's thread. Thread-safe.
 */
final class PodStatusWriter {
    private static final Logger LOG = Logger.getLogger(PodStatusWriter.class.getName());
    private static final Set<String> SETTLED = Set.of("Running", "Succeeded", "Failed");
    private static final String POD_RANGE = "10.244.0.";

    private final ApiClient client;
    private final String nodeIp;
    private final Clock clock;
    private final Map<String, String> podIps = new ConcurrentHashMap<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-kubelet-status");
        t.setDaemon(true);
        return t;
    });

    PodStatusWriter(ApiClient client, String nodeIp, Clock clock) {
        this.client = client;
        this.nodeIp = nodeIp;
        this.clock = clock;
    }

    /** Called with each pod the node's list and watch deliver. */
    void observed(JsonNode pod) {
        JsonNode meta = pod.path("metadata");
        if (SETTLED.contains(pod.path("status").path("phase").asText("")) || meta.hasNonNull("deletionTimestamp")) {
            return;
        }
        String uid = meta.path("uid").asText();
        String podIp = pod.path("spec").path("hostNetwork").asBoolean(false)
                ? nodeIp
                : podIps.computeIfAbsent(uid, u -> POD_RANGE + (podIps.size() + 2));
        String path = "/api/v1/namespaces/" + meta.path("namespace").asText() + "/pods/"
                + meta.path("name").asText() + "/status";
        String body =
                RunningPodStatus.patch(pod, nodeIp, podIp, clock.instant()).toString();
        sender.execute(() -> {
            ApiClient.Response r = client.patch(path, body, "application/strategic-merge-patch+json");
            if (r.code() != 200) {
                LOG.info("Failed to update status for pod " + path + ": " + r.code() + " "
                        + r.statusMessage().orElse(r.body()));
            }
        });
    }

    void stop() {
        sender.shutdownNow();
    }
}
