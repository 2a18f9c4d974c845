package io.kubetwin.kubelet.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The Node the fake kubelet registers and the status it reports, shaped as pkg/kubelet/kubelet_node_status.go
 * initialNodeStatus and the setters of pkg/kubelet/nodestatus build them: the well-known labels a kubelet sets on
 * itself (all allowed by NodeRestriction), the node's addresses, a small fixed capacity, and the four conditions
 * with Ready last. Deterministic apart from the heartbeat time. Stateless.
 */
final class NodeObject {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KUBELET_VERSION = "v1.34.4";
    static final int DEFAULT_KUBELET_PORT = 10250;

    private NodeObject() {}

    /** The object POSTed to /api/v1/nodes at registration. */
    static ObjectNode registration(String nodeName) {
        ObjectNode node = JSON.createObjectNode();
        node.put("apiVersion", "v1");
        node.put("kind", "Node");
        ObjectNode meta = node.putObject("metadata");
        meta.put("name", nodeName);
        ObjectNode labels = meta.putObject("labels");
        labels.put("beta.kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("kubernetes.io/hostname", nodeName);
        labels.put("kubernetes.io/os", "linux");
        meta.putObject("annotations").put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        node.putObject("spec");
        return node;
    }

    /** The merge patch of nodes/NAME/status: Ready, with addresses, capacity and node info. */
    static ObjectNode readyStatus(String nodeName, String nodeIp, int kubeletPort, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode status = patch.putObject("status");
        ArrayNode conditions = status.putArray("conditions");
        condition(
                conditions,
                "MemoryPressure",
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
                time);
        condition(
                conditions, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", time);
        condition(
                conditions,
                "PIDPressure",
                "False",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
                time);
        condition(conditions, "Ready", "True", "KubeletReady", "kubelet is posting ready status", time);
        ArrayNode addresses = status.putArray("addresses");
        if (nodeIp != null && !nodeIp.isEmpty()) {
            addresses.addObject().put("type", "InternalIP").put("address", nodeIp);
        }
        addresses.addObject().put("type", "Hostname").put("address", nodeName);
        ObjectNode capacity = status.putObject("capacity");
        capacity.put("cpu", "2").put("memory", "4Gi").put("pods", "110").put("ephemeral-storage", "20Gi");
        status.set("allocatable", capacity.deepCopy());
        ObjectNode info = status.putObject("nodeInfo");
        info.put("architecture", "amd64");
        info.put("operatingSystem", "linux");
        info.put("osImage", "kubetwin fake node");
        info.put("kernelVersion", "");
        info.put("containerRuntimeVersion", "fake://1.0.0");
        info.put("kubeletVersion", KUBELET_VERSION);
        info.put("machineID", "").put("systemUUID", "").put("bootID", "");
        status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", kubeletPort);
        return patch;
    }

    private static void condition(
            ArrayNode conditions, String type, String status, String reason, String message, String time) {
        conditions
                .addObject()
                .put("type", type)
                .put("status", status)
                .put("lastHeartbeatTime", time)
                .put("lastTransitionTime", time)
                .put("reason", reason)
                .put("message", message);
    }
}
