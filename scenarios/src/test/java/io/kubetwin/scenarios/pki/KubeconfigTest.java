package io.kubetwin.scenarios.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubeconfigTest {

    @Test
    void writesDataFieldsAndReadsThemBack() {
        var ca = ScenarioCa.generate("kubernetes");
        var credential = ca.issueClient("mynewuser", List.of("company"));
        var config = new Kubeconfig("mynewuser", "https://127.0.0.1:6443", ca.certificatePem(), credential, null,
                "target-namespace");
        var yaml = config.toYaml();
        assertTrue(yaml.contains("certificate-authority-data: "), yaml);
        assertTrue(yaml.contains("client-certificate-data: "), yaml);
        assertTrue(yaml.contains("client-key-data: "), yaml);
        assertFalse(yaml.contains("BEGIN"), "PEM must be base64-encoded in the -data fields");
        assertEquals(config, Kubeconfig.parse(yaml, Path.of(".")));
    }

    @Test
    void anonymousKubeconfigKeepsKubectlFromPrompting() {
        var yaml = Kubeconfig.anonymous("https://127.0.0.1:6443", null).toYaml();
        assertTrue(yaml.contains("username: \"anonymous\"") || yaml.contains("username: anonymous"), yaml);
    }

    @Test
    void certificateSubjectIsCnAndOrganisations() {
        var ca = ScenarioCa.generate("kubernetes");
        var cert = ca.issueClient("mynewuser", List.of("company", "dev")).certificate();
        assertEquals("CN=mynewuser,O=dev,O=company", cert.getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), assertDoesNotThrow(cert::getExtendedKeyUsage));
    }

    @Test
    void expiredCertificates() {
        var ca = ScenarioCa.generate("kubernetes");
        var now = Instant.now();
        var cert = ca.issueClient("old", List.of(), null, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)), true)
                .certificate();
        assertTrue(cert.getNotAfter().toInstant().isBefore(now));
    }

    private static <T> T assertDoesNotThrow(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
