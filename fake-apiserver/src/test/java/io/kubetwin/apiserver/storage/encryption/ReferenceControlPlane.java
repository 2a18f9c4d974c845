package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference etcd and kube-apiserver v1.34.4 on 127.0.0.1 ephemeral ports, started with extra kube-apiserver
 * flags, plus the reference etcdctl to read and write raw values. Binaries from {@code $KUBETWIN_REFERENCE_BIN} and
 * {@code $KUBETWIN_ETCDCTL} (as ci/test.sh sets them), else the cache that ci/reference/build-*.sh fill;
 * {@link #unavailable()} says why a test must skip.
 */
final class ReferenceControlPlane implements AutoCloseable {
    private static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache/kubetwin/reference");

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final String etcdUrl;
    private final ApiClient admin;

    private ReferenceControlPlane(Path dir, String etcdUrl, ApiClient admin) {
        this.dir = dir;
        this.etcdUrl = etcdUrl;
        this.admin = admin;
    }

    static Path bin() {
        String env = System.getenv("KUBETWIN_REFERENCE_BIN");
        return env != null && !env.isBlank()
                ? Path.of(env)
                : CACHE.resolve("k8s-v1.34.4-staging-v0.34.4-etcd-v3.6.4/bin");
    }

    static Path etcdctl() {
        String env = System.getenv("KUBETWIN_ETCDCTL");
        return env != null && !env.isBlank() ? Path.of(env) : CACHE.resolve("etcdctl-v3.6.4/bin/etcdctl");
    }

    /** Why the reference cannot run here, or null when it can. */
    static String unavailable() {
        for (Path p : List.of(bin().resolve("etcd"), bin().resolve("kube-apiserver"), etcdctl())) {
            if (!Files.isExecutable(p)) {
                return p + " not found (ci/reference/build-reference.sh, build-etcdctl.sh)";
            }
        }
        return null;
    }

    static ReferenceControlPlane start(Path dir, String... apiServerFlags) throws Exception {
        Path pki = Files.createDirectories(dir.resolve("pki"));
        Duration day = Duration.ofDays(1);
        CertificateAuthority ca = CertificateAuthority.generate("kubernetes", KeyType.RSA_2048, day);
        Credential serving = ca.issueServing(List.of("localhost"), List.of("127.0.0.1"));
        Credential adminCert = ca.issue(CertificateSpec.client("kubernetes-admin")
                .organizations("system:masters")
                .validFor(day)
                .build());
        ca.credential().writeTo(pki.resolve("ca.crt"), pki.resolve("ca.key"));
        serving.writeTo(pki.resolve("apiserver.crt"), pki.resolve("apiserver.key"));
        KeyPair sa = KeyType.RSA_2048.generate();
        Files.writeString(pki.resolve("sa.key"), Pem.privateKeyPem(sa.getPrivate()));
        Files.writeString(pki.resolve("sa.pub"), Pem.publicKeyPem(sa.getPublic()));

        int etcdPort = freePort();
        int peerPort = freePort();
        int apiPort = freePort();
        String etcdUrl = "http://127.0.0.1:" + etcdPort;
        String peerUrl = "http://127.0.0.1:" + peerPort;
        ReferenceControlPlane plane = new ReferenceControlPlane(
                dir,
                etcdUrl,
                ApiClient.withCertificate(
                        "https://127.0.0.1:" + apiPort,
                        ca.certificate(),
                        adminCert.certificate(),
                        adminCert.privateKey()));
        try {
            plane.launch(
                    "etcd",
                    List.of(
                            bin().resolve("etcd").toString(),
                            "--data-dir",
                            dir.resolve("etcd").toString(),
                            "--listen-client-urls",
                            etcdUrl,
                            "--advertise-client-urls",
                            etcdUrl,
                            "--listen-peer-urls",
                            peerUrl,
                            "--initial-advertise-peer-urls",
                            peerUrl,
                            "--initial-cluster",
                            "default=" + peerUrl,
                            "--log-level",
                            "error"));
            List<String> api = new ArrayList<>(List.of(
                    bin().resolve("kube-apiserver").toString(),
                    "--etcd-servers",
                    etcdUrl,
                    "--bind-address",
                    "127.0.0.1",
                    "--secure-port",
                    String.valueOf(apiPort),
                    "--advertise-address",
                    "127.0.0.1",
                    "--tls-cert-file",
                    pki.resolve("apiserver.crt").toString(),
                    "--tls-private-key-file",
                    pki.resolve("apiserver.key").toString(),
                    "--client-ca-file",
                    pki.resolve("ca.crt").toString(),
                    "--authorization-mode",
                    "RBAC",
                    "--service-account-issuer",
                    "https://kubernetes.default.svc.cluster.local",
                    "--service-account-key-file",
                    pki.resolve("sa.pub").toString(),
                    "--service-account-signing-key-file",
                    pki.resolve("sa.key").toString(),
                    "--service-cluster-ip-range",
                    "10.96.0.0/12",
                    "--cert-dir",
                    dir.resolve("certs").toString()));
            api.addAll(List.of(apiServerFlags));
            Process apiserver = plane.launch("kube-apiserver", api);
            plane.awaitReady(apiserver);
            return plane;
        } catch (Exception | Error e) {
            plane.close();
            throw e;
        }
    }

    ApiClient admin() {
        return admin;
    }

    /** The raw value of an etcd key, as etcdctl reads it. */
    byte[] get(String key) throws Exception {
        String json = run(null, "get", key, "-w", "json");
        var kvs = io.kubetwin.apiserver.testing.Golden.MAPPER.readTree(json).path("kvs");
        if (kvs.isEmpty()) {
            throw new IllegalStateException("no key " + key + " in etcd");
        }
        return Base64.getDecoder().decode(kvs.get(0).path("value").asText());
    }

    /** Writes raw bytes under an etcd key with etcdctl (the value on its standard input). */
    void put(String key, byte[] value) throws Exception {
        run(value, "put", key);
    }

    private String run(byte[] stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(etcdctl().toString(), "--endpoints", etcdUrl));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("etcdctl " + String.join(" ", args) + " failed: " + err);
        }
        return new String(out);
    }

    private Process launch(String name, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private void awaitReady(Process apiserver) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!apiserver.isAlive()) {
                throw new IllegalStateException(
                        "kube-apiserver exited: " + Files.readString(dir.resolve("kube-apiserver.log")));
            }
            try {
                if (admin.get("/readyz").code() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(
                "kube-apiserver not ready: " + Files.readString(dir.resolve("kube-apiserver.log")));
    }

    @Override
    public void close() {
        // the apiserver first, then etcd
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
