package io.kubetwin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code emulatedVersion = "1.33"} at 1.33's own gate defaults: the server serves kube-apiserver v1.34.4's surface at
 * 1.33 (no resource.k8s.io, no storage.k8s.io/v1 volumeattributesclasses) and applies the gates that are off there as
 * the reference does (pod-level resources dropped, PreferSameNode refused).
 */
@KubeTwin(emulatedVersion = "1.33")
class EmulatedReleaseTest {
    @Test
    void theServerIsA133Cluster(KubernetesClient admin) throws Exception {
        assertEquals(
                "33",
                new ObjectMapper()
                        .readTree(admin.raw("/version"))
                        .path("emulationMinor")
                        .asText());
        List<String> groups =
                admin.getApiGroups().getGroups().stream().map(g -> g.getName()).toList();
        assertTrue(groups.contains("storage.k8s.io"), groups.toString());
        assertFalse(groups.contains("resource.k8s.io"), groups.toString());
        List<String> storage = admin.getApiResources("storage.k8s.io/v1").getResources().stream()
                .map(r -> r.getName())
                .toList();
        assertTrue(storage.contains("storageclasses"), storage.toString());
        assertFalse(storage.contains("volumeattributesclasses"), storage.toString());
    }

    @Test
    void podLevelResourcesAreDroppedAsPodLevelResourcesIsOff(KubernetesClient admin) {
        Pod pod = admin.pods()
                .inNamespace("default")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("pod-level")
                        .endMetadata()
                        .withNewSpec()
                        .withNewResources()
                        .withLimits(Map.of("cpu", new Quantity("1")))
                        .endResources()
                        .addNewContainer()
                        .withName("c")
                        .withImage("nginx")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        assertNull(pod.getSpec().getResources());
        assertEquals("BestEffort", pod.getStatus().getQosClass());
    }

    @Test
    void preferSameNodeIsRefusedAsPreferSameTrafficDistributionIsOff(KubernetesClient admin) {
        Service service = new ServiceBuilder()
                .withNewMetadata()
                .withName("same-node")
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(80)
                .endPort()
                .withTrafficDistribution("PreferSameNode")
                .endSpec()
                .build();
        KubernetesClientException e = assertThrows(
                KubernetesClientException.class,
                () -> admin.services().inNamespace("default").resource(service).create());
        assertEquals(422, e.getCode());
        assertEquals(
                "Service \"same-node\" is invalid: spec.trafficDistribution: Unsupported value: \"PreferSameNode\": "
                        + "supported values: \"PreferClose\"",
                e.getStatus().getMessage());
    }
}
