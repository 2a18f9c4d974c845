package io.kubetwin.junit;

import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.kubelet.server.EmbeddedKubelet;
import java.nio.file.Path;

/**
 * Starts fake kubelets beside an embedded fake apiserver through fake-kubelet's {@link EmbeddedKubelet} (the same
 * wiring the demo cluster uses): kubeadm's files from the cluster CA, the config file's secure defaults, the Node
 * registered as {@code system:node:NAME} with the port the kubelet listens on.
 */
final class EmbeddedKubelets {
    private EmbeddedKubelets() {}

    /** A running kubelet, closed with the server (before its Vert.x). */
    record Running(KubeTwinNode node, EmbeddedKubelet kubelet) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            kubelet.close();
        }
    }

    /**
     * Registers and starts the kubelet of node {@code name}; blocks.
     *
     * @throws IllegalStateException with the apiserver's answer when the node cannot register (the Node
     *     authorizer is needed: {@code authorizationModes("Node", "RBAC")}, as kubeadm sets it)
     */
    static Running start(FakeApiServer api, Path workingDirectory, String name) {
        EmbeddedKubelet kubelet =
                EmbeddedKubelet.start(api.vertx(), api.clusterCa(), api.url(), workingDirectory, name);
        return new Running(new KubeTwinNode(name, "https://127.0.0.1:" + kubelet.port(), kubelet.port()), kubelet);
    }
}
