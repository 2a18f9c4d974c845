package io.kubetwin.bench.target;

import io.kubetwin.bench.report.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The real reference: etcd and kube-apiserver v1.34.4, started as {@code ci/reference/run-reference.sh} starts them
 * (without the controller manager), on ephemeral 127.0.0.1 ports, with the bench PKI. {@link #startMillis} is the
 * start of etcd to kube-apiserver's first authenticated answer.
 */
public final class ReferenceTarget implements Target {
    static final String CACHED_BIN = ".cache/kubetwin/reference/k8s-v1.34.4-staging-v0.34.4-etcd-v3.6.4/bin";

    private final Process etcd;
    private final Process apiserver;
    private final String url;
    private final double startMillis;

    private ReferenceTarget(Process etcd, Process apiserver, String url, double startMillis) {
        this.etcd = etcd;
        this.apiserver = apiserver;
        this.url = url;
        this.startMillis = startMillis;
    }

    /** KUBETWIN_REFERENCE_BIN, else the cache ci/reference/build-reference.sh fills; empty when neither has them. */
    public static Optional<Path> binDir() {
        String env = System.getenv("KUBETWIN_REFERENCE_BIN");
        Path dir = env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home")).resolve(CACHED_BIN);
        return Files.isExecutable(dir.resolve("kube-apiserver")) && Files.isExecutable(dir.resolve("etcd"))
                ? Optional.of(dir)
                : Optional.empty();
    }

    public static ReferenceTarget start(Path bin, BenchPki pki, Path dir, AuditLevel audit, Duration timeout)
            throws IOException {
        Files.createDirectories(dir);
        Path data = dir.resolve("etcd");
        int etcdPort = Processes.freePort();
        int peerPort = Processes.freePort();
        int apiPort = Processes.freePort();
        String etcdUrl = "http://127.0.0.1:" + etcdPort;
        String peerUrl = "http://127.0.0.1:" + peerPort;
        Path pkiDir = pki.dir();
        long began = System.nanoTime();
        Process etcd = new ProcessBuilder(
                        bin.resolve("etcd").toString(),
                        "--data-dir=" + data,
                        "--listen-client-urls=" + etcdUrl,
                        "--advertise-client-urls=" + etcdUrl,
                        "--listen-peer-urls=" + peerUrl,
                        "--initial-advertise-peer-urls=" + peerUrl,
                        "--initial-cluster=default=" + peerUrl)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("etcd.log").toFile())
                .start();
        List<String> command = new ArrayList<>(List.of(
                bin.resolve("kube-apiserver").toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--secure-port=" + apiPort,
                "--advertise-address=127.0.0.1",
                "--tls-cert-file=" + pkiDir.resolve("apiserver.crt"),
                "--tls-private-key-file=" + pkiDir.resolve("apiserver.key"),
                "--client-ca-file=" + pkiDir.resolve("ca.crt"),
                "--authorization-mode=Node,RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + pkiDir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + pkiDir.resolve("sa.key"),
                "--service-cluster-ip-range=10.96.0.0/12",
                "--cert-dir=" + dir.resolve("certs")));
        command.addAll(audit.flags(dir));
        Process apiserver = null;
        try {
            apiserver = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("apiserver.log").toFile())
                    .start();
            String url = "https://127.0.0.1:" + apiPort;
            long answered = Processes.awaitAuthenticatedAnswer(url, pki.adminContext(), timeout, apiserver);
            return new ReferenceTarget(etcd, apiserver, url, (answered - began) / 1e6);
        } catch (RuntimeException e) {
            Processes.stop(apiserver);
            Processes.stop(etcd);
            throw new IllegalStateException("reference: " + e.getMessage() + " (logs in " + dir + ")", e);
        }
    }

    public double startMillis() {
        return startMillis;
    }

    @Override
    public String name() {
        return Report.REFERENCE;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public List<Long> pids() {
        return List.of(etcd.pid(), apiserver.pid());
    }

    @Override
    public void close() {
        Processes.stop(apiserver);
        Processes.stop(etcd);
    }
}
