package io.kubetwin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admission switches: the flags reach the server, and a bad plugin name stops it with upstream's message. */
@KubeTwin(disableAdmissionPlugins = "ServiceAccount", admissionConfiguration = "kubetwin/admission-configuration.yaml")
class AdmissionSettingsTest {

    @Test
    void aDisabledDefaultPluginNoLongerActs(KubernetesClient admin) {
        Pod created = admin.pods()
                .inNamespace("default")
                .resource(AnnotationTest.pod("no-service-account"))
                .create();
        // the ServiceAccount plugin would have set serviceAccountName "default" and mounted a token volume
        assertNull(created.getSpec().getServiceAccountName());
        assertTrue(
                created.getSpec().getVolumes().isEmpty(),
                created.getSpec().getVolumes().toString());
    }

    @Test
    void theSettingsAreTheConfigs() {
        KubeTwinConfig config = KubeTwinConfig.builder()
                .enableAdmissionPlugins("NodeRestriction")
                .disableAdmissionPlugins("PodSecurity")
                .admissionConfiguration("kubetwin/admission-configuration.yaml")
                .build();
        assertEquals(List.of("NodeRestriction"), config.admission().enable());
        assertEquals(List.of("PodSecurity"), config.admission().disable());
        assertEquals("kubetwin/admission-configuration.yaml", config.admission().configurationResource());
    }

    @Test
    void anUnknownPluginStopsTheServerWithKubeApiserversMessage() {
        KubeTwinConfig config =
                KubeTwinConfig.builder().enableAdmissionPlugins("NoSuchPlugin").build();
        RuntimeException e = assertThrows(RuntimeException.class, () -> KubeTwinServer.start(config));
        String messages = String.valueOf(e.getMessage()) + " / " + String.valueOf(e.getCause());
        assertTrue(messages.contains("enable-admission-plugins plugin \"NoSuchPlugin\" is unknown"), messages);
    }
}
