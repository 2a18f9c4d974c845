package io.kubetwin.apiserver.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * Where a node's kubelet listens, as pkg/kubelet/client NodeConnectionInfoGetter reads it from the Node: the first
 * address of the preferred types (nodeutil.GetPreferredNodeAddress) and {@code status.daemonEndpoints
 * .kubeletEndpoint.Port} (10250 when unset), over https.
 */
public record NodeConnection(String host, int port) {
    static final int DEFAULT_PORT = 10250;

    /** Empty when the node has no address of a preferred type (upstream: "no preferred addresses found"). */
    static Optional<NodeConnection> of(JsonNode node, List<String> preferredTypes) {
        JsonNode status = node.path("status");
        int port = status.path("daemonEndpoints")
                .path("kubeletEndpoint")
                .path("Port")
                .asInt(0);
        for (String type : preferredTypes) {
            for (JsonNode address : status.path("addresses")) {
                if (type.equals(address.path("type").asText())) {
                    return Optional.of(
                            new NodeConnection(address.path("address").asText(), port > 0 ? port : DEFAULT_PORT));
                }
            }
        }
        return Optional.empty();
    }

    /** net.JoinHostPort: IPv6 literals in brackets. */
    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
