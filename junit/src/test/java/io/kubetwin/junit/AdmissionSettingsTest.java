package io.kubetwin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The admission switches: the flags reach the server, and a bad plugin name stops it with upstream's message; and
 * {@code --allow-privileged}, which pod validation (before validating admission) applies.
 */
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
    void privilegedContainersAreRefusedByDefaultAsKubeApiserver(KubernetesClient admin) {
        Pod pod = AnnotationTest.pod("privileged");
        pod.getSpec()
                .getContainers()
                .get(0)
                .setSecurityContext(
                        new SecurityContextBuilder().withPrivileged(true).build());
        KubernetesClientException e = assertThrows(
                KubernetesClientException.class,
                () -> admin.pods().inNamespace("default").resource(pod).create());
        assertEquals(422, e.getCode());
        assertEquals(
                "Pod \"privileged\" is invalid: spec.containers[0].securityContext.privileged: Forbidden: "
                        + "disallowed by cluster policy",
                e.getStatus().getMessage());
    }

    @Test
    void allowPrivilegedAdmitsThem() {
        try (KubeTwinServer server = KubeTwinServer.start(
                KubeTwinConfig.builder().allowPrivileged(true).build())) {
            server.create("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: privileged, namespace: default}
                    spec:
                      containers: [{name: app, image: busybox, securityContext: {privileged: true}}]
                    """);
        }
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
