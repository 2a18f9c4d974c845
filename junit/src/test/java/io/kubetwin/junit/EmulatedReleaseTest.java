package io.kubetwin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code emulatedVersion = "1.33"}: the server serves kube-apiserver v1.34.4's surface at 1.33 (no resource.k8s.io,
 * no storage.k8s.io/v1 volumeattributesclasses), and with 1.33's own defaults of the gates it does not emulate it
 * refuses to start, naming them.
 */
@KubeTwin(
        emulatedVersion = "1.33",
        featureGates = {
            "DynamicResourceAllocation=true",
            "KubeletServiceAccountTokenForCredentialProviders=true",
            "PodLevelResources=true",
            "PodObservedGenerationTracking=true",
            "PreferSameTrafficDistribution=true",
            "VolumeAttributesClass=true",
            "WatchList=true"
        })
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
    void release133DefaultsOfGatesTheFakeDoesNotEmulateAreRefused() {
        KubeTwinConfig config = KubeTwinConfig.builder().emulatedVersion("1.33").build();
        String message = assertThrows(IllegalArgumentException.class, () -> KubeTwinServer.start(config))
                .getMessage();
        assertTrue(
                message.startsWith(
                        "--emulated-version=1.33: kube-apiserver's defaults of DynamicResourceAllocation=false,"
                                + "KubeletServiceAccountTokenForCredentialProviders=false,PodLevelResources=false,"
                                + "PodObservedGenerationTracking=false,PreferSameTrafficDistribution=false,"
                                + "VolumeAttributesClass=false,WatchList=false at 1.33 differ from v1.34's"),
                message);
    }
}
