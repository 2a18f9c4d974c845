package io.kubetwin.scenarios.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.scenarios.model.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real control plane once; skipped when the reference binaries are not built. */
class ReferenceTargetTest {

    @Test
    void startsServesAndStops(@TempDir Path dir) throws Exception {
        var target = new ReferenceTarget();
        assumeTrue(
                target.unavailableReason().isEmpty(),
                () -> target.unavailableReason().orElse(""));
        try (var cluster = target.start(new ClusterSpec("smoke", ServerConfig.DEFAULT, null, dir.resolve("cluster")))) {
            var admin = ApiClient.of(cluster.admin());
            assertEquals(200, admin.get("/api/v1/namespaces/default").code());
            var anonymous = ApiClient.of(Kubeconfig.anonymous(
                    "kubernetes",
                    cluster.admin().server(),
                    cluster.admin().certificateAuthorityPem().orElseThrow()));
            var forbidden = anonymous.get("/api/v1/namespaces/default/pods");
            assertEquals(403, forbidden.code());
            assertEquals(
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                            + "\"message\":\"pods is forbidden: User \\\"system:anonymous\\\" cannot list resource \\\"pods\\\""
                            + " in API group \\\"\\\" in the namespace \\\"default\\\"\",\"reason\":\"Forbidden\","
                            + "\"details\":{\"kind\":\"pods\"},\"code\":403}\n",
                    forbidden.body());
            assertTrue(cluster.description().contains("kube-apiserver v1.34"), cluster.description());
        }
    }

    @Test
    void runsOnTheFakeEtcdOverMutualTls(@TempDir Path dir) throws Exception {
        var target = Targets.byName("reference-fake-etcd");
        assumeTrue(
                target.unavailableReason().isEmpty(),
                () -> target.unavailableReason().orElse(""));
        try (var cluster = target.start(new ClusterSpec("smoke", ServerConfig.DEFAULT, null, dir.resolve("cluster")))) {
            var admin = ApiClient.of(cluster.admin());
            assertEquals("reference-fake-etcd", cluster.target());
            assertTrue(cluster.description().contains(") on kubetwin fake etcd (mTLS)"), cluster.description());
            var created = admin.post("/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"cm\"}}");
            assertEquals(201, created.code(), created.body());
            assertEquals(200, admin.get("/readyz/etcd").code());
            // kube-apiserver dialled the fake etcd with its client certificate, which the fake etcd requires
            var log = java.nio.file.Files.readString(dir.resolve("cluster").resolve("kube-apiserver.log"));
            assertTrue(
                    log.contains("--etcd-certfile=" + dir.resolve("cluster").resolve("etcd")),
                    log.lines().findFirst().orElse(""));
        }
    }
}
