package io.kubetwin.bench.target;

import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * One PKI for every target, so that the same client certificates load all of them: a CA that is every target's
 * client CA, a serving certificate for 127.0.0.1 (the reference and the ceiling; the fake makes its own from the same
 * CA), an admin in {@code system:masters} for seeding, and the benchmark's non-admin user.
 */
public record BenchPki(Path dir, CertificateAuthority ca, Credential serving, Credential admin, Credential user) {
    public static final String USER = "bench-user";
    public static final String USER_GROUP = "bench";

    /** Generates the PKI into {@code dir}: ca.crt/key, apiserver.crt/key, sa.key/pub (kubeadm's names). */
    public static BenchPki create(Path dir) throws IOException {
        Files.createDirectories(dir);
        CertificateAuthority ca = CertificateAuthority.generate("kubernetes", KeyType.RSA_2048, Duration.ofDays(30));
        Credential serving = ca.issueServing(CertificateAuthority.APISERVER_DNS_NAMES, List.of("127.0.0.1"));
        Credential admin = ca.issue(CertificateSpec.client("kubernetes-admin")
                .organizations("system:masters")
                .keyType(KeyType.EC_P256)
                .build());
        Credential user = ca.issue(CertificateSpec.client(USER)
                .organizations(USER_GROUP)
                .keyType(KeyType.EC_P256)
                .build());
        ca.credential().writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        serving.writeTo(dir.resolve("apiserver.crt"), dir.resolve("apiserver.key"));
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            KeyPair sa = rsa.generateKeyPair();
            Files.writeString(dir.resolve("sa.key"), Pem.privateKeyPem(sa.getPrivate()));
            Files.writeString(dir.resolve("sa.pub"), Pem.publicKeyPem(sa.getPublic()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new BenchPki(dir, ca, serving, admin, user);
    }

    /** A cert dir holding only this CA: the fake generates its serving certificate from it (or reuses one there). */
    public Path fakeCertDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve("ca.crt"))) {
            ca.credential().writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        }
        return dir;
    }

    public SSLContext userContext() {
        return KeyStores.clientContext(List.of(ca.certificate()), user);
    }

    public SSLContext adminContext() {
        return KeyStores.clientContext(List.of(ca.certificate()), admin);
    }
}
