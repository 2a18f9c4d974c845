package io.kubetwin.junit;

import static io.kubetwin.junit.KubeTwinAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** Admission policies come in through the preload like any object, and act from the first request on. */
@KubeTwin(preload = "kubetwin/policy.yaml", auditPolicy = "kubetwin/audit-policy.yaml")
class PolicyPreloadTest {

    @Test
    void aPreloadedPolicyDenies(KubernetesClient admin, AuditTrail audit) {
        var configMap = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("three")
                .endMetadata()
                .addToData("a", "1")
                .addToData("b", "2")
                .addToData("c", "3")
                .build();
        var e = assertThrows(
                KubernetesClientException.class,
                () -> admin.configMaps()
                        .inNamespace("guarded")
                        .resource(configMap)
                        .create());
        assertEquals(422, e.getCode());
        assertEquals("Invalid", e.getStatus().getReason());
        assertEquals(
                "configmaps \"three\" is forbidden: ValidatingAdmissionPolicy 'two-keys' with binding 'two-keys-deny' "
                        + "denied request: at most two keys",
                e.getStatus().getMessage());
        // elsewhere the binding does not match
        admin.configMaps().inNamespace("default").resource(configMap).create();
        assertThat(audit)
                .hasEvent()
                .verb("create")
                .resource("configmaps")
                .namespace("guarded")
                .code(422);
    }
}
