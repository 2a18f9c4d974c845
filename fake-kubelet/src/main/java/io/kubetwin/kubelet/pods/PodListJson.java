package io.kubetwin.kubelet.pods;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A v1 PodList as the kubelet encodes it (pkg/kubelet/server/server.go encodePods: the legacy codec's JSON
 * serializer, Go struct field order, a trailing newline from json.Encoder). An empty list is
 * {@code {"kind":"PodList","apiVersion":"v1","metadata":{},"items":null}}, as a real v1.34 kubelet without
 * pods answers (items is a nil slice). Items carry no kind/apiVersion; {@code creationTimestamp} is
 * {@code null} and {@code resources} / {@code status} are {@code {}} because Go's omitempty does not omit
 * structs. Stateless.
 */
public final class PodListJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PodListJson() {}

    /** The pods as the runtime reports them ({@code /runningpods/}): no {@code spec.nodeName}. */
    public static String encode(List<Pod> pods) {
        return encode(pods, null);
    }

    /**
     * The pods bound to node {@code nodeName} as {@code /pods} lists them: the apiserver's objects, whose
     * {@code spec.nodeName} is that node (Go field order puts it after {@code containers} among the fields written).
     */
    public static String encode(List<Pod> pods, String nodeName) {
        ObjectNode list = JSON.createObjectNode();
        list.put("kind", "PodList");
        list.put("apiVersion", "v1");
        list.putObject("metadata");
        if (pods.isEmpty()) {
            list.putNull("items");
        } else {
            ArrayNode items = list.putArray("items");
            pods.forEach(p -> items.add(pod(p, nodeName)));
        }
        return list + "\n";
    }

    private static ObjectNode pod(Pod pod, String nodeName) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("name", pod.name());
        metadata.put("namespace", pod.namespace());
        metadata.put("uid", pod.uid());
        metadata.putNull("creationTimestamp");
        ArrayNode containers = node.putObject("spec").putArray("containers");
        for (Pod.Container c : pod.containers()) {
            ObjectNode container = containers.addObject();
            container.put("name", c.name());
            container.put("image", c.image());
            container.putObject("resources");
        }
        if (nodeName != null) {
            ((ObjectNode) node.get("spec")).put("nodeName", nodeName);
        }
        node.putObject("status");
        return node;
    }
}
