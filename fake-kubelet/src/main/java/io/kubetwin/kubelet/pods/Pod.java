package io.kubetwin.kubelet.pods;

import java.util.List;
import java.util.Optional;

/**
 * A pod bound to the fake node, reduced to what the kubelet API shows: identity, containers and the
 * deterministic log lines each container "printed".
 */
public record Pod(String namespace, String name, String uid, List<Container> containers, boolean running) {
    public Pod {
        containers = List.copyOf(containers);
    }

    /** @param logLines the container's log, one entry per line, without newlines */
    public record Container(String name, String image, List<String> logLines) {
        public Container {
            logLines = List.copyOf(logLines);
        }
    }

    public Optional<Container> container(String containerName) {
        return containers.stream().filter(c -> c.name().equals(containerName)).findFirst();
    }
}
