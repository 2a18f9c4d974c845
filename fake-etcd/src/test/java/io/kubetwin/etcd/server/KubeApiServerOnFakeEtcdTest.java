package io.kubetwin.etcd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.RangeRequest;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference kube-apiserver v1.34.4 with {@code --etcd-servers} on the fake etcd, over TLS with a client
 * certificate the fake requires: it starts, becomes ready, and serves a ConfigMap's create, get, list and watch,
 * with the object stored under /registry in kube-apiserver's protobuf encoding. Skips without
 * {@code KUBETWIN_REFERENCE_BIN}.
 */
class KubeApiServerOnFakeEtcdTest {
    @TempDir
    Path dir;

    @Test
    void theRealApiserverRunsOnTheFakeEtcd() throws Exception {
        String bin = System.getenv("KUBETWIN_REFERENCE_BIN");
        assumeTrue(
                bin != null && Files.isExecutable(Path.of(bin, "kube-apiserver")),
                "reference kube-apiserver not found: set KUBETWIN_REFERENCE_BIN (ci/reference/build-reference.sh)");
        TestCerts etcdPki = TestCerts.create(Files.createDirectories(dir.resolve("etcd-pki")));
        ZapLog quiet = new ZapLog(new PrintStream(new ByteArrayOutputStream()));
        try (FakeEtcd etcd = FakeEtcd.start(
                EtcdConfig.inMemory(
                        URI.create("https://127.0.0.1:0"),
                        URI.create("https://127.0.0.1:0"),
                        etcdPki.serverTls(true),
                        etcdPki.serverTls(true)),
                quiet)) {
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
            Process apiserver = new ProcessBuilder(
                            Path.of(bin, "kube-apiserver").toString(),
                            "--etcd-servers",
                            etcd.clientUrls().get(0).toString(),
                            "--etcd-cafile",
                            etcdPki.ca().toString(),
                            "--etcd-certfile",
                            etcdPki.clientCrt().toString(),
                            "--etcd-keyfile",
                            etcdPki.clientKey().toString(),
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
            try {
                ApiClient client = ApiClient.withCertificate(
                        "https://127.0.0.1:" + port, ca.certificate(), admin.certificate(), admin.privateKey());
                awaitReady(client, apiserver, log);

                String list0 = client.get("/api/v1/namespaces/default/configmaps")
                        .json()
                        .path("metadata")
                        .path("resourceVersion")
                        .asText();
                ApiClient.Response created = client.post(
                        "/api/v1/namespaces/default/configmaps",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"on-fake-etcd\"},"
                                + "\"data\":{\"k\":\"v\"}}");
                assertEquals(201, created.code(), created.body());
                long rv =
                        created.json().path("metadata").path("resourceVersion").asLong();

                ApiClient.Response got = client.get("/api/v1/namespaces/default/configmaps/on-fake-etcd");
                assertEquals(200, got.code(), got.body());
                assertEquals("v", got.json().path("data").path("k").asText());
                // resourceVersion is the store's revision of the key
                var stored = etcd.store()
                        .range(RangeRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8("/registry/configmaps/default/on-fake-etcd"))
                                .build());
                assertEquals(1, stored.getKvsCount());
                assertEquals(rv, stored.getKvs(0).getModRevision());
                assertTrue(stored.getKvs(0).getValue().startsWith(ByteString.copyFrom(new byte[] {'k', '8', 's', 0})));

                ApiClient.Response list = client.get("/api/v1/namespaces/default/configmaps");
                assertTrue(list.body().contains("\"name\":\"on-fake-etcd\""), list.body());

                ApiClient.Response watch = client.get(
                        "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + list0 + "&timeoutSeconds=2");
                assertEquals(200, watch.code(), watch.body());
                assertTrue(
                        watch.body().contains("{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\""), watch.body());
                assertTrue(watch.body().contains("\"name\":\"on-fake-etcd\""), watch.body());
            } finally {
                apiserver.destroy();
                if (!apiserver.waitFor(20, TimeUnit.SECONDS)) {
                    apiserver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void awaitReady(ApiClient client, Process apiserver, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!apiserver.isAlive()) {
                throw new IllegalStateException("kube-apiserver exited: " + Files.readString(log));
            }
            try {
                if (client.get("/readyz").code() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("kube-apiserver not ready: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
