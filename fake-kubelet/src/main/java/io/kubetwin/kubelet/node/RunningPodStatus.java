package io.kubetwin.kubelet.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.kubelet.pods.Pod;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The status a kubelet writes for a pod whose containers all started, as pkg/kubelet/kubelet_pods.go
 * generateAPIPodStatus and convertToAPIContainerStatuses build it and pkg/kubelet/status/status_manager.go sends it
 * (pkg/util/pod PatchPodStatus: a strategic merge patch with the pod's uid as precondition): phase Running; the
 * kubelet-owned conditions in the kubelet's order (PodReadyToStartContainers, Initialized, Ready, ContainersReady,
 * PodScheduled), all True with the pod's generation as observedGeneration (PodObservedGenerationTracking, on in
 * 1.34); one containerStatus per spec container, running, ready and started, with a deterministic containerID and
 * imageID derived from the pod and image (the fake runs nothing); hostIP(s), podIP(s) and startTime. Stateless.
 */
final class RunningPodStatus {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The runtime name of containerIDs, matching the Node's {@code containerRuntimeVersion} (fake://1.0.0). */
    static final String RUNTIME = "fake";

    private RunningPodStatus() {}

    /**
     * The strategic merge patch of {@code pods/NAME/status} that reports {@code pod} running.
     *
     * @param podIp the pod's address (the node's own for hostNetwork pods)
     */
    static ObjectNode patch(JsonNode pod, String hostIp, String podIp, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        long generation = pod.path("metadata").path("generation").asLong(1);
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("metadata").put("uid", pod.path("metadata").path("uid").asText());
        ObjectNode status = patch.putObject("status");
        status.put("observedGeneration", generation);
        ArrayNode conditions = status.putArray("conditions");
        for (String type : new String[] {"PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"}) {
            condition(conditions, type, generation, time);
        }
        condition(conditions, "PodScheduled", generation, time);
        status.put("phase", "Running");
        if (hostIp != null) { // the kubelet leaves them out when it knows no address of its node
            status.put("hostIP", hostIp);
            status.putArray("hostIPs").addObject().put("ip", hostIp);
        }
        if (podIp != null) {
            status.put("podIP", podIp);
            status.putArray("podIPs").addObject().put("ip", podIp);
        }
        status.put("startTime", time);
        ArrayNode containers = status.putArray("containerStatuses");
        String uid = pod.path("metadata").path("uid").asText();
        for (JsonNode c : pod.path("spec").path("containers")) {
            String name = c.path("name").asText();
            String image = c.path("image").asText();
            ObjectNode cs = containers.addObject();
            cs.put("name", name);
            cs.putObject("state").putObject("running").put("startedAt", time);
            cs.putObject("lastState");
            cs.put("ready", true);
            cs.put("restartCount", 0);
            cs.put("image", image);
            cs.put("imageID", imageId(image));
            cs.put("containerID", RUNTIME + "://" + sha256(uid + "/" + name));
            cs.put("started", true);
        }
        return patch;
    }

    /** A digest reference the way runtimes report it: the repository without tag, then {@code @sha256:<digest>}. */
    static String imageId(String image) {
        String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = repository.lastIndexOf('/');
        int colon = repository.lastIndexOf(':');
        if (colon > slash) {
            repository = repository.substring(0, colon);
        }
        return repository + "@sha256:" + sha256(image);
    }

    private static void condition(ArrayNode conditions, String type, long generation, String time) {
        conditions
                .addObject()
                .put("type", type)
                .put("observedGeneration", generation)
                .put("status", "True")
                .putNull("lastProbeTime")
                .put("lastTransitionTime", time);
    }

    private static String sha256(String text) {
        return Pod.sha256(text);
    }
}
