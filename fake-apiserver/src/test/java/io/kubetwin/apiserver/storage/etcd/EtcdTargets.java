package io.kubetwin.apiserver.storage.etcd;

import io.kubetwin.etcd.server.EtcdConfig;
import io.kubetwin.etcd.server.FakeEtcd;
import io.kubetwin.etcd.server.TlsInfo;
import io.kubetwin.etcd.server.ZapLog;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The etcd stores the etcd-backed fake apiserver is tested on, both over TLS with a required client
 * certificate: the kubetwin fake etcd (in this JVM), and the reference's etcd v3.6.4 binary (a child process;
 * absent without the reference cache, then the tests skip).
 */
final class EtcdTargets {
    private EtcdTargets() {}

    /** The etcd CA, a server certificate for 127.0.0.1, and a client certificate (the apiserver's). */
    record Certs(Path ca, Path serverCrt, Path serverKey, Path clientCrt, Path clientKey) {
        static Certs create(Path dir) throws IOException {
            Duration day = Duration.ofDays(1);
            CertificateAuthority ca = CertificateAuthority.generate("etcd-ca", KeyType.EC_P256, day);
            Credential server = ca.issue(CertificateSpec.server("etcd-server")
                    .client(true)
                    .dnsNames("localhost")
                    .ipAddresses("127.0.0.1")
                    .keyType(KeyType.EC_P256)
                    .validFor(day)
                    .build());
            Credential client = ca.issue(CertificateSpec.client("kube-apiserver-etcd-client")
                    .keyType(KeyType.EC_P256)
                    .validFor(day)
                    .build());
            Certs c = new Certs(
                    dir.resolve("ca.crt"),
                    dir.resolve("server.crt"),
                    dir.resolve("server.key"),
                    dir.resolve("client.crt"),
                    dir.resolve("client.key"));
            ca.credential().writeTo(c.ca, dir.resolve("ca.key"));
            server.writeTo(c.serverCrt, c.serverKey);
            client.writeTo(c.clientCrt, c.clientKey);
            return c;
        }

        /** kube-apiserver's view of the store: its --etcd-* flags. */
        EtcdConnection connection(URI url) {
            return new EtcdConnection(List.of(url), ca, clientCrt, clientKey);
        }
    }

    /** A running store. */
    interface Target extends AutoCloseable {
        URI url();

        @Override
        void close();
    }

    static Target fakeEtcd(Certs certs) {
        FakeEtcd etcd = FakeEtcd.start(
                EtcdConfig.inMemory(
                        URI.create("https://127.0.0.1:0"),
                        URI.create("http://127.0.0.1:0"),
                        new TlsInfo(
                                certs.serverCrt().toString(),
                                certs.serverKey().toString(),
                                certs.ca().toString(),
                                true),
                        TlsInfo.NONE),
                new ZapLog(new PrintStream(OutputStream.nullOutputStream())));
        return new Target() {
            @Override
            public URI url() {
                return etcd.clientUrls().get(0);
            }

            @Override
            public void close() {
                etcd.close();
            }
        };
    }

    /** The reference etcd binary, or null when the reference cache is absent. */
    static Path realEtcdBinary() {
        String env = System.getenv("KUBETWIN_REFERENCE_BIN");
        Path bin = env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(
                        System.getProperty("user.home"),
                        ".cache/kubetwin/reference/k8s-v1.34.4-staging-v0.34.4-etcd-v3.6.4/bin");
        Path etcd = bin.resolve("etcd");
        return Files.isExecutable(etcd) ? etcd : null;
    }

    static Target realEtcd(Path binary, Certs certs, Path dir) throws IOException, InterruptedException {
        int client = freePort();
        int peer = freePort();
        String clientUrl = "https://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        Path log = dir.resolve("etcd.log");
        Process p = new ProcessBuilder(
                        binary.toString(),
                        "--data-dir",
                        dir.resolve("etcd-data").toString(),
                        "--listen-client-urls",
                        clientUrl,
                        "--advertise-client-urls",
                        clientUrl,
                        "--listen-peer-urls",
                        peerUrl,
                        "--initial-advertise-peer-urls",
                        peerUrl,
                        "--initial-cluster",
                        "default=" + peerUrl,
                        "--cert-file",
                        certs.serverCrt().toString(),
                        "--key-file",
                        certs.serverKey().toString(),
                        "--trusted-ca-file",
                        certs.ca().toString(),
                        "--client-cert-auth")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Target target = new Target() {
            @Override
            public URI url() {
                return URI.create(clientUrl);
            }

            @Override
            public void close() {
                p.destroy();
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("etcd exited: " + Files.readString(log));
            }
            if (Files.readString(log).contains("ready to serve client requests") && accepts(client)) {
                return target;
            }
            Thread.sleep(100);
        }
        target.close();
        throw new IllegalStateException("etcd did not start: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
