package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.StorageOptions;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Pem;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake apiserver and the reference kube-apiserver v1.34.4 on one real etcd: each reads what the other
 * wrote (Namespaces, ConfigMaps, Secrets, Roles, RoleBindings, ClusterRoles), at the same resourceVersion. The
 * fake writes JSON, which the reference's storage decoder accepts; the reference writes protobuf, which the
 * fake decodes. A RoleBinding the reference wrote authorizes in the fake. Skipped without the reference build.
 */
class ReferenceInteropTest {
    @TempDir
    Path dir;

    @Test
    void eachReadsWhatTheOtherWrote() throws Exception {
        Path etcdBinary = EtcdTargets.realEtcdBinary();
        assumeTrue(etcdBinary != null, "reference etcd not found: set KUBETWIN_REFERENCE_BIN (ci/reference)");
        Path kubeApiserver = etcdBinary.resolveSibling("kube-apiserver");
        assumeTrue(Files.isExecutable(kubeApiserver), "reference kube-apiserver not found");
        EtcdTargets.Certs certs = EtcdTargets.Certs.create(Files.createDirectories(dir.resolve("etcd-pki")));
        try (EtcdTargets.Target etcd = EtcdTargets.realEtcd(etcdBinary, certs, dir);
                TestApiServer fake = TestApiServer.start(ApiServerConfig.builder()
                        .serviceClusterIpRange("10.96.0.0/12")
                        .storage(StorageOptions.etcd(certs.connection(etcd.url()), "/registry"))
                        .build())) {
            ApiClient f = fake.admin();
            List<String[]> fromFake = List.of(
                    new String[] {"/api/v1/namespaces", "{\"metadata\":{\"name\":\"interop\"}}"},
                    new String[] {
                        "/api/v1/namespaces/interop/configmaps",
                        "{\"metadata\":{\"name\":\"from-fake\"},\"data\":{\"k\":\"v\"}}"
                    },
                    new String[] {
                        "/api/v1/namespaces/interop/secrets",
                        "{\"metadata\":{\"name\":\"from-fake\"},\"data\":{\"k\":\"dg==\"}}"
                    },
                    new String[] {
                        "/apis/rbac.authorization.k8s.io/v1/namespaces/interop/roles",
                        "{\"metadata\":{\"name\":\"from-fake\"},\"rules\":[{\"apiGroups\":[\"\"],"
                                + "\"resources\":[\"secrets\"],\"verbs\":[\"get\"]}]}"
                    },
                    new String[] {
                        "/apis/rbac.authorization.k8s.io/v1/namespaces/interop/rolebindings",
                        "{\"metadata\":{\"name\":\"from-fake\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                                + "\"kind\":\"Role\",\"name\":\"from-fake\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}]}"
                    },
                    new String[] {
                        "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                        "{\"metadata\":{\"name\":\"from-fake\"},\"rules\":[{\"apiGroups\":[\"\"],"
                                + "\"resources\":[\"pods\"],\"verbs\":[\"list\"]}]}"
                    });
            for (String[] c : fromFake) {
                ApiClient.Response r = f.post(c[0], c[1]);
                assertEquals(201, r.code(), r.body());
            }

            try (Reference ref = Reference.start(kubeApiserver, certs, etcd, dir)) {
                ApiClient r = ref.admin;
                for (String[] c : fromFake) {
                    String path = c[0] + "/" + (c[1].contains("\"interop\"") ? "interop" : "from-fake");
                    JsonNode seenByFake = f.get(path).json();
                    ApiClient.Response seenByRef = r.get(path);
                    assertEquals(200, seenByRef.code(), path + ": " + seenByRef.body());
                    assertEquals(
                            seenByFake.path("metadata").path("resourceVersion").asText(),
                            seenByRef
                                    .json()
                                    .path("metadata")
                                    .path("resourceVersion")
                                    .asText(),
                            path);
                    assertEquals(
                            seenByFake.path("metadata").path("uid"),
                            seenByRef.json().path("metadata").path("uid"));
                }
                assertEquals(
                        "v",
                        r.get("/api/v1/namespaces/interop/configmaps/from-fake")
                                .json()
                                .path("data")
                                .path("k")
                                .asText());
                assertEquals(
                        "dg==",
                        r.get("/api/v1/namespaces/interop/secrets/from-fake")
                                .json()
                                .path("data")
                                .path("k")
                                .asText());

                List<String[]> fromRef = List.of(
                        new String[] {"/api/v1/namespaces", "{\"metadata\":{\"name\":\"ref-ns\"}}"},
                        new String[] {
                            "/api/v1/namespaces/interop/configmaps",
                            "{\"metadata\":{\"name\":\"from-ref\"},\"data\":{\"k\":\"w\"}}"
                        },
                        new String[] {
                            "/api/v1/namespaces/interop/secrets",
                            "{\"metadata\":{\"name\":\"from-ref\"},\"data\":{\"k\":\"dw==\"}}"
                        },
                        new String[] {
                            "/apis/rbac.authorization.k8s.io/v1/namespaces/interop/rolebindings",
                            "{\"metadata\":{\"name\":\"from-ref\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                                    + "\"kind\":\"Role\",\"name\":\"from-fake\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"carol\"}]}"
                        },
                        new String[] {
                            "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                            "{\"metadata\":{\"name\":\"from-ref\"},\"rules\":[{\"apiGroups\":[\"\"],"
                                    + "\"resources\":[\"pods\"],\"verbs\":[\"get\"]}]}"
                        });
                for (String[] c : fromRef) {
                    ApiClient.Response created = r.post(c[0], c[1]);
                    assertEquals(201, created.code(), created.body());
                    String name = created.json().path("metadata").path("name").asText();
                    ApiClient.Response seenByFake = f.get(c[0] + "/" + name);
                    assertEquals(200, seenByFake.code(), c[0] + ": " + seenByFake.body());
                    assertEquals(
                            created.json()
                                    .path("metadata")
                                    .path("resourceVersion")
                                    .asText(),
                            seenByFake
                                    .json()
                                    .path("metadata")
                                    .path("resourceVersion")
                                    .asText(),
                            c[0]);
                    assertEquals(
                            created.json().path("metadata").path("uid"),
                            seenByFake.json().path("metadata").path("uid"));
                }
                assertEquals(
                        "dw==",
                        f.get("/api/v1/namespaces/interop/secrets/from-ref")
                                .json()
                                .path("data")
                                .path("k")
                                .asText());
                assertEquals(
                        "from-fake",
                        f.get("/apis/rbac.authorization.k8s.io/v1/namespaces/interop/rolebindings/from-ref")
                                .json()
                                .path("roleRef")
                                .path("name")
                                .asText());
                // the fake's RBAC index heard the reference's binding through the etcd watch
                assertEquals(
                        200,
                        TestApiServer.eventually(
                                        () -> fake.as("carol").get("/api/v1/namespaces/interop/secrets/from-ref"),
                                        x -> x.code() == 200)
                                .code());
            }
        }
    }

    /** The reference kube-apiserver on the same etcd, with its own PKI. */
    private static final class Reference implements AutoCloseable {
        final Process process;
        final ApiClient admin;

        private Reference(Process process, ApiClient admin) {
            this.process = process;
            this.admin = admin;
        }

        static Reference start(Path binary, EtcdTargets.Certs etcdCerts, EtcdTargets.Target etcd, Path dir)
                throws Exception {
            Path k8s = Files.createDirectories(dir.resolve("k8s-pki"));
            Duration day = Duration.ofDays(1);
            CertificateAuthority ca = CertificateAuthority.generate("kubernetes", KeyType.RSA_2048, day);
            Credential serving = ca.issueServing(List.of("localhost"), List.of("127.0.0.1"));
            Credential admin = ca.issue(CertificateSpec.client("kubernetes-admin")
                    .organizations("system:masters")
                    .validFor(day)
                    .build());
            ca.credential().writeTo(k8s.resolve("ca.crt"), k8s.resolve("ca.key"));
            serving.writeTo(k8s.resolve("apiserver.crt"), k8s.resolve("apiserver.key"));
            KeyPair sa = KeyType.RSA_2048.generate();
            Files.writeString(k8s.resolve("sa.key"), Pem.privateKeyPem(sa.getPrivate()));
            Files.writeString(k8s.resolve("sa.pub"), Pem.publicKeyPem(sa.getPublic()));
            int port = freePort();
            Path log = dir.resolve("kube-apiserver.log");
            Process p = new ProcessBuilder(
                            binary.toString(),
                            "--etcd-servers",
                            etcd.url().toString(),
                            "--etcd-cafile",
                            etcdCerts.ca().toString(),
                            "--etcd-certfile",
                            etcdCerts.clientCrt().toString(),
                            "--etcd-keyfile",
                            etcdCerts.clientKey().toString(),
                            "--bind-address",
                            "127.0.0.1",
                            "--secure-port",
                            String.valueOf(port),
                            "--advertise-address",
                            "127.0.0.1",
                            "--tls-cert-file",
                            k8s.resolve("apiserver.crt").toString(),
                            "--tls-private-key-file",
                            k8s.resolve("apiserver.key").toString(),
                            "--client-ca-file",
                            k8s.resolve("ca.crt").toString(),
                            "--authorization-mode",
                            "Node,RBAC",
                            "--service-account-issuer",
                            "https://kubernetes.default.svc.cluster.local",
                            "--service-account-key-file",
                            k8s.resolve("sa.pub").toString(),
                            "--service-account-signing-key-file",
                            k8s.resolve("sa.key").toString(),
                            "--service-cluster-ip-range",
                            "10.96.0.0/12",
                            "--cert-dir",
                            dir.resolve("certs").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Reference ref = new Reference(
                    p,
                    ApiClient.withCertificate(
                            "https://127.0.0.1:" + port, ca.certificate(), admin.certificate(), admin.privateKey()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("kube-apiserver exited: " + Files.readString(log));
                }
                try {
                    if (ref.admin.get("/readyz").code() == 200) {
                        return ref;
                    }
                } catch (RuntimeException e) {
                    // not listening yet
                }
                Thread.sleep(500);
            }
            ref.close();
            throw new IllegalStateException("kube-apiserver not ready: " + Files.readString(log));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }
}
