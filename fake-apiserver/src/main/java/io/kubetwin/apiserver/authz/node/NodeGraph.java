package io.kubetwin.apiserver.authz.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.PodReferences;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the Node authorizer knows of the objects each node may reach, kept from storage watch events as
 * plugin/pkg/auth/authorizer/node/graph_populator.go keeps its graph from informers: every pod bound to a node
 * (spec.nodeName set) links the node to the pod, and, unless it is a mirror pod, to its service account, the
 * secrets, configmaps and persistent volume claims it references (graph.go AddPod). A pod without a node is not
 * in the graph; a deleted pod leaves it. The fake serves no persistent volumes, resource claims, volume attachments
 * or resource slices, so no path reaches them.
 *
 * <p>Thread-safe: each pod's entry is an immutable value replaced as a whole; storage delivers events in order,
 * before the write is answered, so a pod is in the graph by the time its creation returns.
 */
public final class NodeGraph {
    /** The vertex types the authorizer asks about (graph.go vertexType). */
    public enum Type {
        POD,
        SECRET,
        CONFIG_MAP,
        SERVICE_ACCOUNT,
        PERSISTENT_VOLUME_CLAIM,
        PERSISTENT_VOLUME,
        RESOURCE_CLAIM,
        VOLUME_ATTACHMENT,
        RESOURCE_SLICE
    }

    /** One bound pod's edges. */
    private record BoundPod(
            String node,
            String namespace,
            String name,
            String serviceAccount,
            Set<String> secrets,
            Set<String> configMaps,
            Set<String> claims) {}

    private final Map<ObjectKey, BoundPod> pods = new ConcurrentHashMap<>();

    /** Applies one pod event; events of other resources are ignored. Called by the storage watch. */
    public void apply(WatchEvent event) {
        ObjectKey key = event.key();
        if (!key.group().isEmpty() || !"pods".equals(key.resource())) {
            return;
        }
        String node = event.object().path("spec").path("nodeName").asText("");
        if (event.type() == WatchEvent.Type.DELETED || node.isEmpty()) {
            pods.remove(key);
            return;
        }
        pods.put(key, bound(event.object(), node, key));
    }

    private static BoundPod bound(JsonNode pod, String node, ObjectKey key) {
        if (pod.path("metadata").path("annotations").has(MIRROR_POD_ANNOTATION)) {
            // a node must never gain access to other objects through a pod it created itself (graph.go AddPod)
            return new BoundPod(node, key.namespace(), key.name(), "", Set.of(), Set.of(), Set.of());
        }
        return new BoundPod(
                node,
                key.namespace(),
                key.name(),
                pod.path("spec").path("serviceAccountName").asText(""),
                Set.copyOf(PodReferences.secretNames(pod)),
                Set.copyOf(PodReferences.configMapNames(pod)),
                Set.copyOf(PodReferences.claimNames(pod)));
    }

    static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

    /** graph.go hasPathFrom: whether the object is reachable from {@code node}. */
    public boolean hasPath(String node, Type type, String namespace, String name) {
        for (BoundPod pod : pods.values()) {
            if (!pod.node().equals(node) || !pod.namespace().equals(namespace)) {
                continue;
            }
            boolean reaches =
                    switch (type) {
                        case POD -> pod.name().equals(name);
                        case SECRET -> pod.secrets().contains(name);
                        case CONFIG_MAP -> pod.configMaps().contains(name);
                        case SERVICE_ACCOUNT -> pod.serviceAccount().equals(name);
                        case PERSISTENT_VOLUME_CLAIM -> pod.claims().contains(name);
                        default -> false;
                    };
            if (reaches) {
                return true;
            }
        }
        return false;
    }
}
