package io.kubetwin.kubelet.server;

import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The authenticated port's certificate: {@code --tls-cert-file}/{@code --tls-private-key-file} as given; else,
 * fake only, a certificate issued by {@code --kubetwin-serving-ca-*} as a kubelet's serving CSR would be
 * signed (CN {@code system:node:NAME}, O {@code system:nodes}, SANs the node name and node IP); else, as
 * the kubelet does without files, a self-signed pair: a CA {@code HOST-ca@UNIX} and a certificate
 * {@code HOST@UNIX} for the host name and node IP (client-go certutil.GenerateSelfSignedCertKey).
 * Generating keys and reading files block: call off the event loop.
 *
 * @param certificatesPem the leaf then any intermediates, PEM
 * @param privateKeyPem   the key, PKCS#8 PEM
 * @param chain           the parsed chain, leaf first
 */
public record ServingCertificate(String certificatesPem, String privateKeyPem, List<X509Certificate> chain) {

    static ServingCertificate forConfig(KubeletConfig config) throws IOException {
        if (config.tlsCertFile() != null) {
            String pem = Files.readString(config.tlsCertFile());
            return new ServingCertificate(
                    pem,
                    Pem.privateKeyPkcs8Pem(Pem.readPrivateKey(config.tlsPrivateKeyFile())),
                    Pem.parseCertificates(pem));
        }
        String node = config.nodeName();
        List<String> ips = config.nodeIp() == null ? List.of() : List.of(config.nodeIp());
        if (config.servingCaCertFile() != null) {
            return issuedBy(
                    CertificateAuthority.load(config.servingCaCertFile(), config.servingCaKeyFile()), node, ips);
        }
        long now = System.currentTimeMillis() / 1000;
        CertificateAuthority ca =
                CertificateAuthority.generate(node + "-ca@" + now, KeyType.RSA_2048, Duration.ofDays(365));
        Credential leaf = ca.issue(CertificateSpec.server(node + "@" + now)
                .dnsNames(node)
                .ipAddresses(ips)
                .build());
        return of(leaf, ca.certificate());
    }

    /** A serving certificate for {@code nodeName} signed by {@code ca} (also for tests). */
    public static ServingCertificate issuedBy(CertificateAuthority ca, String nodeName, List<String> ipAddresses) {
        Credential leaf = ca.issue(CertificateSpec.server("system:node:" + nodeName)
                .organizations("system:nodes")
                .dnsNames(nodeName)
                .ipAddresses(ipAddresses)
                .build());
        return of(leaf);
    }

    private static ServingCertificate of(Credential leaf, X509Certificate... intermediates) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf.certificate());
        chain.addAll(List.of(intermediates));
        return new ServingCertificate(Pem.certificatesPem(chain), leaf.privateKeyPkcs8Pem(), List.copyOf(chain));
    }

    static List<X509Certificate> clientCas(Path clientCaFile) throws IOException {
        return clientCaFile == null ? List.of() : Pem.readCertificates(clientCaFile);
    }
}
