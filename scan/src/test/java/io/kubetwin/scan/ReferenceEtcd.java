package io.kubetwin.scan;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.scan.probe.PlainProbe;
import io.kubetwin.scenarios.target.ReferenceBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference's etcd v3.6.4 for the etcd probes: as the reference target starts its own (plain HTTP on 127.0.0.1,
 * no client certificates; the reference target does not expose its etcd URL), or serving TLS with a certificate from
 * {@code ca}, with or without {@code --client-cert-auth} (the second seed article's PKI-based authentication).
 */
public record ReferenceEtcd(Process process, String url) implements AutoCloseable {

    /** How etcd serves its client URL. */
    public enum Tls {
        NONE,
        /** TLS, any client welcome: {@code --cert-file}, {@code --key-file} only. */
        SERVER_ONLY,
        /** TLS with client certificates required: {@code --client-cert-auth --trusted-ca-file}. */
        CLIENT_CERT_AUTH
    }

    public static ReferenceEtcd start(ReferenceBinaries binaries, Path dir) throws Exception {
        return start(binaries, dir, Tls.NONE, null);
    }

    public static ReferenceEtcd start(ReferenceBinaries binaries, Path dir, Tls tls, CertificateAuthority ca)
            throws Exception {
        Files.createDirectories(dir);
        int client = ScanTargets.freePort();
        int peer = ScanTargets.freePort();
        var url = (tls == Tls.NONE ? "http" : "https") + "://127.0.0.1:" + client;
        var args = new ArrayList<String>();
        if (tls != Tls.NONE) {
            // serverAuth and clientAuth, as kubeadm issues etcd's: etcd's JSON gateway dials etcd's own gRPC port
            // with this certificate, which --client-cert-auth then checks as a client certificate
            var serving = ca.issue(CertificateSpec.server("etcd")
                    .dnsNames("localhost")
                    .ipAddresses("127.0.0.1")
                    .client(true)
                    .build());
            serving.writeTo(dir.resolve("server.crt"), dir.resolve("server.key"));
            Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
            args.add("--cert-file=" + dir.resolve("server.crt"));
            args.add("--key-file=" + dir.resolve("server.key"));
            if (tls == Tls.CLIENT_CERT_AUTH) {
                args.add("--client-cert-auth");
                args.add("--trusted-ca-file=" + dir.resolve("ca.crt"));
            }
        }
        var command = new ArrayList<>(List.of(
                binaries.etcd().toString(),
                "--name=scan",
                "--data-dir=" + dir.resolve("data"),
                "--listen-client-urls=" + url,
                "--advertise-client-urls=" + url,
                "--listen-peer-urls=http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls=http://127.0.0.1:" + peer,
                "--initial-cluster=scan=http://127.0.0.1:" + peer,
                "--log-level=warn",
                "--unsafe-no-fsync=true"));
        command.addAll(args);
        var process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("etcd.log").toFile())
                .start();
        var etcd = new ReferenceEtcd(process, url);
        var deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            if (ready(tls, url, ca)) {
                return etcd;
            }
            Thread.sleep(200);
        }
        etcd.close();
        throw new IllegalStateException("etcd did not start: " + Files.readString(dir.resolve("etcd.log")));
    }

    /**
     * etcd's {@code /health} answers 200, asked over TLS trusting the CA and, where etcd requires one, with a client
     * certificate from it: so a refused probe later means refused, not "not listening yet".
     */
    private static boolean ready(Tls tls, String url, CertificateAuthority ca) {
        try {
            if (tls == Tls.NONE) {
                return new PlainProbe().send("GET", url + "/health", null).code() == 200;
            }
            var client = tls == Tls.CLIENT_CERT_AUTH ? clientOf(url, ca) : ApiClient.anonymous(url, ca.certificate());
            return client.get("/health").code() == 200;
        } catch (RuntimeException e) {
            return false; // not listening yet
        }
    }

    /** A client with a certificate from {@code ca}, as kube-apiserver's {@code --etcd-certfile}. */
    public static ApiClient clientOf(String url, CertificateAuthority ca) {
        var credential =
                ca.issue(CertificateSpec.client("kube-apiserver-etcd-client").build());
        return ApiClient.withCertificate(url, ca.certificate(), credential.certificate(), credential.privateKey());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
