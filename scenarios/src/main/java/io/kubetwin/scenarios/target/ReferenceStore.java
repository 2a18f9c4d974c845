package io.kubetwin.scenarios.target;

import io.kubetwin.etcd.server.EtcdConfig;
import io.kubetwin.etcd.server.FakeEtcd;
import io.kubetwin.etcd.server.TlsInfo;
import io.kubetwin.etcd.server.ZapLog;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.KeyType;
import io.kubetwin.reference.EtcdProcess;
import io.kubetwin.reference.ReferenceBinaries;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The store under the reference kube-apiserver: the reference's etcd v3.6.4 or the kubetwin fake etcd in this JVM,
 * both over TLS with {@code --client-cert-auth} and {@code --trusted-ca-file}: a client certificate from an etcd CA
 * of their own (kubeadm's {@code etcd/ca} layout) is required, and kube-apiserver presents one with
 * {@code --etcd-certfile}/{@code --etcd-keyfile}. Running the real kube-apiserver on the fake store is the
 * strongest check of the fake etcd: every suite must answer as on etcd. The fake target runs the fake apiserver on
 * the fake store too when a suite reads etcd ({@link ClusterSpec#etcd()}).
 */
public enum ReferenceStore {
    ETCD("reference", "etcd v3.6.4 (mTLS)"),
    FAKE_ETCD("reference-fake-etcd", "kubetwin fake etcd (mTLS)");

    private final String targetName;
    private final String description;

    ReferenceStore(String targetName, String description) {
        this.targetName = targetName;
        this.description = description;
    }

    /** The runner's name for the reference target on this store. */
    public String targetName() {
        return targetName;
    }

    public String description() {
        return description;
    }

    /** A started store: kube-apiserver's {@code --etcd-*} flags for it, its endpoint, and how to stop it. */
    public interface Running extends AutoCloseable {
        /** The endpoint and the certificates of {@link #apiServerFlags()}, plus a foreign-CA client certificate. */
        EtcdEndpoint endpoint();

        /** kube-apiserver's {@code --etcd-servers/--etcd-cafile/--etcd-certfile/--etcd-keyfile} for the endpoint. */
        default List<String> apiServerFlags() {
            var e = endpoint();
            return List.of(
                    "--etcd-servers=" + e.url(),
                    "--etcd-cafile=" + e.caFile(),
                    "--etcd-certfile=" + e.apiServerCert(),
                    "--etcd-keyfile=" + e.apiServerKey());
        }

        /** The last lines of the store's log, for the message of a cluster that did not start. */
        String tail(int lines);

        @Override
        void close();
    }

    /** Starts the store with its files under {@code dir}; {@code binaries} is needed for {@link #ETCD} only. */
    public Running start(ReferenceBinaries binaries, Path dir) throws IOException, InterruptedException {
        writePki(dir);
        return switch (this) {
            case ETCD -> {
                var etcd = EtcdProcess.builder(binaries.etcd(), dir)
                        .name("kubetwin")
                        .tls(new EtcdProcess.ServerTls(
                                dir.resolve("server.crt"), dir.resolve("server.key"), dir.resolve("ca.crt"), true))
                        .flags("--quota-backend-bytes=" + (512L << 20))
                        .start();
                yield new Running() {
                    @Override
                    public EtcdEndpoint endpoint() {
                        return endpointOf(dir, etcd.url());
                    }

                    @Override
                    public String tail(int lines) {
                        return etcd.process().tail(lines);
                    }

                    @Override
                    public void close() {
                        etcd.close();
                    }
                };
            }
            case FAKE_ETCD -> fakeEtcd(dir);
        };
    }

    private static EtcdEndpoint endpointOf(Path dir, String url) {
        return new EtcdEndpoint(
                url,
                dir.resolve("ca.crt"),
                dir.resolve("apiserver-etcd-client.crt"),
                dir.resolve("apiserver-etcd-client.key"),
                dir.resolve("foreign-client.crt"),
                dir.resolve("foreign-client.key"));
    }

    /**
     * The etcd CA, etcd's serving certificate, kube-apiserver's client certificate, and a client certificate with
     * the same name from another CA (what an etcd step with {@code client: foreign-ca} presents).
     */
    private static void writePki(Path dir) throws IOException {
        Files.createDirectories(dir);
        var day = Duration.ofDays(1);
        var ca = CertificateAuthority.generate("etcd-ca", KeyType.EC_P256, day);
        ca.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        ca.issue(CertificateSpec.server("kube-etcd")
                        .dnsNames("localhost")
                        .ipAddresses("127.0.0.1")
                        .keyType(KeyType.EC_P256)
                        .validFor(day)
                        .build())
                .writeTo(dir.resolve("server.crt"), dir.resolve("server.key"));
        ca.issue(CertificateSpec.client("kube-apiserver-etcd-client")
                        .keyType(KeyType.EC_P256)
                        .validFor(day)
                        .build())
                .writeTo(dir.resolve("apiserver-etcd-client.crt"), dir.resolve("apiserver-etcd-client.key"));
        CertificateAuthority.generate("foreign-etcd-ca", KeyType.EC_P256, day)
                .issue(CertificateSpec.client("kube-apiserver-etcd-client")
                        .keyType(KeyType.EC_P256)
                        .validFor(day)
                        .build())
                .writeTo(dir.resolve("foreign-client.crt"), dir.resolve("foreign-client.key"));
    }

    private static Running fakeEtcd(Path dir) throws IOException {
        var log = new PrintStream(
                new FileOutputStream(dir.resolve("fake-etcd.log").toFile()), true);
        FakeEtcd etcd;
        try {
            etcd = FakeEtcd.start(
                    EtcdConfig.inMemory(
                            URI.create("https://127.0.0.1:0"),
                            URI.create("http://127.0.0.1:0"),
                            new TlsInfo(
                                    dir.resolve("server.crt").toString(),
                                    dir.resolve("server.key").toString(),
                                    dir.resolve("ca.crt").toString(),
                                    true),
                            TlsInfo.NONE),
                    new ZapLog(log));
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        return new Running() {
            @Override
            public EtcdEndpoint endpoint() {
                return endpointOf(dir, etcd.clientUrls().get(0).toString());
            }

            @Override
            public String tail(int lines) {
                try {
                    var all = Files.readAllLines(dir.resolve("fake-etcd.log"));
                    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
                } catch (IOException e) {
                    return "(no log: " + e.getMessage() + ")";
                }
            }

            @Override
            public void close() {
                etcd.close();
                log.close();
            }
        };
    }
}
