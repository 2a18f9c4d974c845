package io.kubetwin.scenarios.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.pki.Pem;
import io.kubetwin.scenarios.model.KubeletSpec;
import io.kubetwin.scenarios.model.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KubeletConfiguration file and credentials both targets' kubelets get. */
class KubeletFilesTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void theSuiteFragmentIsMergedOverTheBaseAndTheRuntimeSettings(@TempDir Path dir) throws Exception {
        var spec = new KubeletSpec(
                "node-a",
                YAML.readTree("{authentication: {anonymous: {enabled: true}}, readOnlyPort: 10255, "
                        + "featureGates: {KubeletFineGrainedAuthz: false}}"));
        var cluster =
                new ClusterFiles(new ClusterSpec("s", ServerConfig.DEFAULT, null, dir.resolve("c"), List.of(spec)));
        var files = KubeletFiles.write(
                cluster, spec, "https://127.0.0.1:6443", YAML.readTree("{cgroupsPerQOS: false, failSwapOn: false}"));
        try {
            JsonNode config = YAML.readTree(files.config().toFile());
            assertEquals("KubeletConfiguration", config.path("kind").asText());
            // the fragment wins field by field; the base's siblings stay
            assertTrue(config.at("/authentication/anonymous/enabled").asBoolean());
            assertTrue(config.at("/authentication/webhook/enabled").asBoolean());
            assertEquals(
                    cluster.path("ca.crt").toString(),
                    config.at("/authentication/x509/clientCAFile").asText());
            assertEquals("Webhook", config.at("/authorization/mode").asText());
            assertEquals(
                    false, config.at("/featureGates/KubeletFineGrainedAuthz").asBoolean(true));
            assertEquals(false, config.path("cgroupsPerQOS").asBoolean(true));
            // a non-zero read-only port is opened on a free port, never the well-known one
            assertEquals(files.readOnlyPort(), config.path("readOnlyPort").asInt());
            assertNotEquals(10255, files.readOnlyPort());
            assertEquals(files.port(), config.path("port").asInt());
            assertEquals(
                    "unix://" + files.criSocket(),
                    config.path("containerRuntimeEndpoint").asText());
            // unix sockets under the kubelet's root directory must fit in 107 bytes
            assertTrue(files.rootDir()
                            .resolve("device-plugins/kubelet.sock")
                            .toString()
                            .length()
                    < 100);

            var kubeconfig = Kubeconfig.read(files.kubeconfig());
            var certificate =
                    Pem.parseCertificate(kubeconfig.clientCertificatePem().orElseThrow());
            assertEquals(
                    "CN=system:node:node-a,O=system:nodes",
                    certificate.getSubjectX500Principal().getName());
            assertTrue(Files.readString(files.servingCertificate()).startsWith("-----BEGIN CERTIFICATE-----"));
            assertEquals(
                    "https://127.0.0.1:" + files.port(),
                    files.endpoint(cluster, files.port(), 0).url());
        } finally {
            files.delete();
        }
    }

    @Test
    void theReadOnlyPortStaysClosedByDefault(@TempDir Path dir) throws Exception {
        var spec = new KubeletSpec("node-b", null);
        var cluster =
                new ClusterFiles(new ClusterSpec("s", ServerConfig.DEFAULT, null, dir.resolve("c"), List.of(spec)));
        var files = KubeletFiles.write(cluster, spec, "https://127.0.0.1:6443", null);
        try {
            assertEquals(
                    0,
                    YAML.readTree(files.config().toFile()).path("readOnlyPort").asInt(-1));
            assertEquals(null, files.endpoint(cluster, files.port(), 0).readOnlyUrl());
            // a suite with kubelets gets the Node authorizer, without which a kubelet cannot register
            assertTrue(cluster.apiServerFlags(1).contains("--authorization-mode=Node,RBAC"));
        } finally {
            files.delete();
        }
    }
}
