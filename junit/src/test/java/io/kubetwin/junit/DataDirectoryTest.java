package io.kubetwin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kept cluster: a second server on the same data directory finds the objects, the CA and the signing key. */
class DataDirectoryTest {

    @Test
    void aRestartKeepsObjectsCertificatesAndTokens(@TempDir Path dir) throws Exception {
        KubeTwinConfig config = KubeTwinConfig.builder()
                .dataDirectory(dir.resolve("cluster"))
                .preload("kubetwin/rbac.yaml")
                .serviceAccount("team", "operator")
                .build();
        String adminKubeconfig;
        String token;
        String ca;
        String firstUrl;
        try (KubeTwinServer first = KubeTwinServer.start(config)) {
            firstUrl = first.url();
            adminKubeconfig = first.adminKubeconfig();
            token = first.actor("system:serviceaccount:team:operator").token().orElseThrow();
            ca = first.caCertificatePem();
            // the extension's own client: one request, no retry (fabric8 retries a slow POST into a 409)
            first.create("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kept\","
                    + "\"namespace\":\"team\"},\"data\":{\"mode\":\"kept\"}}");
        }
        assertTrue(Files.isRegularFile(dir.resolve("cluster/ca.crt")), "the CA is kept in the directory");

        // the same preload and service account again: already there, left as they are
        try (KubeTwinServer second = KubeTwinServer.start(config)) {
            assertNotEquals(firstUrl, second.url());
            assertEquals(ca, second.caCertificatePem());
            // the first start's admin certificate, pointed at the new port
            try (KubernetesClient admin = client(Config.fromKubeconfig(adminKubeconfig), second.url())) {
                assertEquals(
                        "kept",
                        admin.configMaps()
                                .inNamespace("team")
                                .withName("kept")
                                .get()
                                .getData()
                                .get("mode"));
            }
            // the first start's service-account token: signed with the kept key, bound to a kept account
            Config byToken = new ConfigBuilder()
                    .withMasterUrl(second.url())
                    .withCaCertData(Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.US_ASCII)))
                    .withOauthToken(token)
                    .build();
            try (KubernetesClient operator =
                    new KubernetesClientBuilder().withConfig(byToken).build()) {
                // the operator may list ConfigMaps in team (the preloaded Role): its old token is accepted
                assertTrue(operator.configMaps().inNamespace("team").list().getItems().stream()
                        .anyMatch(c -> c.getMetadata().getName().equals("kept")));
            }
        }
        assertTrue(Files.isDirectory(dir.resolve("cluster/data")), "close leaves the data directory");
    }

    private static KubernetesClient client(Config config, String url) {
        config.setMasterUrl(url);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
