package io.kubetwin.junit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * fabric8 clients for the actors of a server, one per actor, closed with the server. Only loaded when a test asks
 * for a {@code KubernetesClient} (fabric8 is an optional dependency), so nothing here is needed otherwise.
 */
final class Fabric8Clients {
    static final String CLIENT_CLASS = "io.fabric8.kubernetes.client.KubernetesClient";

    private Fabric8Clients() {}

    static KubernetesClient client(KubeTwinServer server, KubeTwinActor actor) {
        return server.attachment(
                "fabric8:" + actor.name(),
                () -> new KubernetesClientBuilder()
                        .withConfig(Config.fromKubeconfig(actor.kubeconfig()))
                        .build());
    }
}
