package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.pki.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --cert-dir: kubeadm's file names, generated once and reused; an openssl-made CA works as the cluster CA. */
class CertDirTest {
    @TempDir
    Path dir;

    @Test
    void generatesKubeadmFilesAndReusesThem() throws Exception {
        ApiServerConfig config = ApiServerConfig.builder().certDir(dir).build();
        X509Certificate firstCa;
        try (TestApiServer first = TestApiServer.start(config)) {
            for (String file : List.of(
                    "ca.crt", "ca.key", "apiserver.crt", "apiserver.key", "sa.key", "sa.pub", "admin.kubeconfig")) {
                assertTrue(Files.exists(dir.resolve(file)), file);
            }
            for (String key : List.of("ca.key", "apiserver.key", "sa.key")) {
                assertEquals(
                        "rw-------",
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))),
                        key);
            }
            firstCa = Pem.readCertificates(dir.resolve("ca.crt")).get(0);
            Kubeconfig admin = Kubeconfig.read(dir.resolve("admin.kubeconfig"));
            assertEquals(first.server().url(), admin.server());
            assertEquals(
                    "kubernetes-admin", admin.clientCredential().orElseThrow().commonName());
        }
        try (TestApiServer second = TestApiServer.start(config)) {
            assertEquals(firstCa, second.server().clusterCa().certificate());
            ApiClient admin = second.admin();
            assertEquals(200, admin.get("/api/v1/namespaces").code());
        }
    }

    @Test
    void anOpensslCaIsLoadedAndSignsWhatAuthenticates() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "no openssl");
        exec("openssl", "genrsa", "-out", "ca.key", "2048");
        exec(
                "openssl",
                "req",
                "-x509",
                "-new",
                "-nodes",
                "-key",
                "ca.key",
                "-subj",
                "/CN=kubernetes",
                "-days",
                "10",
                "-out",
                "ca.crt");
        try (TestApiServer server =
                TestApiServer.start(ApiServerConfig.builder().certDir(dir).build())) {
            assertEquals(
                    "CN=kubernetes",
                    server.server()
                            .clusterCa()
                            .certificate()
                            .getSubjectX500Principal()
                            .getName());
            ApiClient.Response r = server.as("carol", "dev").get("/api/v1/namespaces/default/pods");
            assertEquals(
                    "pods is forbidden: User \"carol\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
                    r.message());
        }
    }

    private void exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
