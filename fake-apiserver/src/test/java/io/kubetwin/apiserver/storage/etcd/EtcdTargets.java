package io.kubetwin.apiserver.storage.etcd;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.StorageOptions;
import io.kubetwin.etcd.server.EtcdConfig;
import io.kubetwin.etcd.server.FakeEtcd;
import io.kubetwin.etcd.server.TlsInfo;
import io.kubetwin.etcd.server.ZapLog;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.kubetwin.reference.EtcdProcess;
import io.kubetwin.reference.Etcdctl;
import io.kubetwin.reference.KubeApiServerProcess;
import io.kubetwin.reference.ReferenceBinaries;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

    /** The reference's binaries, or the calling test is skipped with the reason (ci/reference builds them). */
    static ReferenceBinaries referenceOrSkip() {
        ReferenceBinaries.Located located = ReferenceBinaries.locate();
        org.junit.jupiter.api.Assumptions.assumeTrue(located.binaries() != null, located::reason);
        return located.binaries();
    }

    /** The reference etcd binary, or null when the reference build is absent. */
    static Path realEtcdBinary() {
        ReferenceBinaries binaries = ReferenceBinaries.locate().binaries();
        return binaries == null ? null : binaries.etcd();
    }

    static Target realEtcd(Path binary, Certs certs, Path dir) throws IOException, InterruptedException {
        EtcdProcess etcd = EtcdProcess.builder(binary, dir)
                .tls(new EtcdProcess.ServerTls(certs.serverCrt(), certs.serverKey(), certs.ca(), true))
                .fsync(true)
                .start();
        return new Target() {
            @Override
            public URI url() {
                return URI.create(etcd.url());
            }

            @Override
            public void close() {
                etcd.close();
            }
        };
    }

    /**
     * One real etcd v3.6.4 over mTLS on which the fake apiserver and the reference kube-apiserver run side by side,
     * each presenting the same client certificate; the calling test is skipped without the reference build.
     */
    record SharedEtcd(Target store, Certs certs, ReferenceBinaries binaries, Path dir) implements AutoCloseable {
        static SharedEtcd startOrSkip(Path dir) throws IOException, InterruptedException {
            ReferenceBinaries binaries = referenceOrSkip();
            Certs certs = Certs.create(Files.createDirectories(dir.resolve("etcd-pki")));
            return new SharedEtcd(realEtcd(binaries.etcd(), certs, dir), certs, binaries, dir);
        }

        /** The fake's storage on this etcd under a key prefix ({@code --etcd-prefix}). */
        StorageOptions storage(String prefix) {
            return StorageOptions.etcd(certs.connection(store.url()), prefix);
        }

        /** The fake apiserver on this etcd, with the reference's default service range. */
        ApiServerConfig.Builder fake(String prefix) {
            return ApiServerConfig.builder()
                    .serviceClusterIpRange("10.96.0.0/12")
                    .storage(storage(prefix));
        }

        /** The reference kube-apiserver on this etcd, working in {@code dir/name}. */
        KubeApiServerProcess.Builder reference(String name) {
            return KubeApiServerProcess.builder(binaries.apiServer(), dir.resolve(name))
                    .etcd(store.url().toString(), clientTls(certs));
        }

        /** The real etcdctl (see {@link Etcdctl#locate()}) as kube-apiserver connects. */
        Etcdctl etcdctl() {
            return Etcdctl.of(Etcdctl.locate().dir(), store.url().toString(), clientTls(certs));
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /** kube-apiserver's --etcd-* files for these certificates. */
    static KubeApiServerProcess.EtcdClientTls clientTls(Certs certs) {
        return new KubeApiServerProcess.EtcdClientTls(certs.ca(), certs.clientCrt(), certs.clientKey());
    }
}
