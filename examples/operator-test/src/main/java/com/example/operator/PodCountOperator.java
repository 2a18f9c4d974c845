package com.example.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The code under test, a tiny operator: it counts the pods of its namespace and publishes the count in a
 * ConfigMap named {@code pod-count}. It needs to list pods and to create and update ConfigMaps there.
 */
public final class PodCountOperator {
    private final KubernetesClient client;
    private final String namespace;

    public PodCountOperator(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** One reconciliation; fabric8's KubernetesClientException (with the apiserver's Status) when not allowed. */
    public ConfigMap reconcile() {
        int pods = client.pods().inNamespace(namespace).list().getItems().size();
        ConfigMap desired = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("pod-count")
                .withNamespace(namespace)
                .endMetadata()
                .addToData("pods", Integer.toString(pods))
                .build();
        return client.configMaps().inNamespace(namespace).resource(desired).createOr(existing -> existing.update());
    }
}
