package io.kubetwin.scan;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.reference.EtcdProcess;
import io.kubetwin.reference.ReferenceBinaries;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference's etcd v3.6.4 for the etcd probes: left open (plain HTTP on 127.0.0.1, no client certificates: what
 * the probes must flag; the reference target's own etcd requires client certificates), or serving TLS with a certificate from
 * {@code ca}, with or without {@code --client-cert-auth} (the second seed article's PKI-based authentication).
 */
public record ReferenceEtcd(EtcdProcess etcd, String url) implements AutoCloseable {

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
        var builder = EtcdProcess.builder(binaries.etcd(), dir).name("scan");
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
            boolean required = tls == Tls.CLIENT_CERT_AUTH;
            builder.tls(new EtcdProcess.ServerTls(
                    dir.resolve("server.crt"),
                    dir.resolve("server.key"),
                    required ? dir.resolve("ca.crt") : null,
                    required));
        }
        var etcd = builder.start();
        return new ReferenceEtcd(etcd, etcd.url());
    }

    /** A client with a certificate from {@code ca}, as kube-apiserver's {@code --etcd-certfile}. */
    public static ApiClient clientOf(String url, CertificateAuthority ca) {
        var credential =
                ca.issue(CertificateSpec.client("kube-apiserver-etcd-client").build());
        return ApiClient.withCertificate(url, ca.certificate(), credential.certificate(), credential.privateKey());
    }

    @Override
    public void close() {
        etcd.close();
    }
}
