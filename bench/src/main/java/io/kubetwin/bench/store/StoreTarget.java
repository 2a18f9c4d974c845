package io.kubetwin.bench.store;

import io.kubetwin.reference.EtcdProcess;
import io.kubetwin.reference.LocalPorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The two stores, each its own process on 127.0.0.1 started by {@link EtcdProcess} with a fresh data dir, TLS and
 * required client certificates, and durable writes: the real etcd v3.6.4 with its fsync on, and the kubetwin fake
 * etcd's jar (SQLite, fsynced before each answer).
 */
final class StoreTarget {
    private StoreTarget() {}

    static EtcdProcess start(String name, StoreBenchOptions options, StorePki pki, Path dir)
            throws IOException, InterruptedException {
        EtcdProcess.ServerTls tls = new EtcdProcess.ServerTls(pki.serverCert(), pki.serverKey(), pki.ca(), true);
        return switch (name) {
            case "etcd" -> {
                if (options.etcdBinary() == null || !Files.isExecutable(options.etcdBinary())) {
                    throw new IllegalStateException("no etcd binary (etcdBinary=" + options.etcdBinary()
                            + "; ci/reference/build-reference.sh builds it)");
                }
                yield EtcdProcess.builder(options.etcdBinary(), dir)
                        .tls(tls)
                        .fsync(true)
                        .start();
            }
            case "fake-etcd" -> {
                if (options.fakeEtcdJar() == null || !Files.isRegularFile(options.fakeEtcdJar())) {
                    throw new IllegalStateException("no fake-etcd jar (fakeEtcdJar=" + options.fakeEtcdJar()
                            + "; mvn -pl bench -am package builds it)");
                }
                Files.createDirectories(dir);
                int client = LocalPorts.free();
                String url = "https://127.0.0.1:" + client;
                String peer = "http://127.0.0.1:" + LocalPorts.free();
                List<String> command = List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        options.fakeEtcdJar().toString(),
                        "--name=bench",
                        "--data-dir=" + dir.resolve("data"),
                        "--listen-client-urls=" + url,
                        "--advertise-client-urls=" + url,
                        "--listen-peer-urls=" + peer,
                        "--initial-advertise-peer-urls=" + peer,
                        "--cert-file=" + tls.cert(),
                        "--key-file=" + tls.key(),
                        "--trusted-ca-file=" + tls.trustedCa(),
                        "--client-cert-auth");
                yield EtcdProcess.start(command, url, client, dir.resolve("fake-etcd.log"), Duration.ofSeconds(120));
            }
            default -> throw new IllegalArgumentException(name);
        };
    }

    static URI url(EtcdProcess process) {
        return URI.create(process.url());
    }
}
