package io.kubetwin.apiserver.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps pkg/registry/core/pod/strategy.go shares between LogLocation and streamLocation: which container
 * (validateContainer) and where the pod's node's kubelet listens (the connection info getter, which reads the
 * Node and reports a missing one as {@code pods "NODE" not found}).
 */
final class PodLocation {
    private PodLocation() {}

    /** strategy.go validateContainer: the only container, or the named one among all containers. */
    static String validateContainer(JsonNode pod, String requested, String name) {
        List<String> names = new ArrayList<>();
        for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
            pod.path("spec").path(field).forEach(c -> names.add(c.path("name").asText()));
        }
        JsonNode containers = pod.path("spec").path("containers");
        if (requested == null || requested.isEmpty()) {
            if (containers.size() == 1) {
                return containers.get(0).path("name").asText();
            }
            if (containers.size() == 0) {
                throw Statuses.badRequest("a container name must be specified for pod " + name);
            }
            throw Statuses.badRequest("a container name must be specified for pod " + name + ", choose one of: ["
                    + String.join(" ", names) + "]");
        }
        if (!names.contains(requested)) {
            throw Statuses.badRequest("container " + requested + " is not valid for pod " + name);
        }
        return requested;
    }

    /** GetConnectionInfo for the node: its kubelet's address and port. */
    static Future<NodeConnection> connection(GenericRegistry registry, String nodeName, List<String> addressTypes) {
        ServedResource nodes = registry.catalog().lookup("", "v1", "nodes").orElseThrow();
        return registry.get(nodes, "", nodeName)
                .recover(e -> Future.failedFuture(
                        e instanceof StatusException se && se.status().code() == 404
                                // the connection info getter's lookup reports the node as a pod
                                ? Statuses.notFound("", "pods", nodeName)
                                : e))
                .map(node -> NodeConnection.of(node, addressTypes)
                        .orElseThrow(
                                () -> Statuses.internalError("no preferred addresses found; known addresses: []")));
    }
}
