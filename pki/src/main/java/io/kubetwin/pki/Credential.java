package io.kubetwin.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate and its private key: a client identity, a serving identity or a CA's signing pair.
 *
 * @param certificate the leaf certificate
 * @param privateKey  the key matching the certificate's public key
 */
public record Credential(X509Certificate certificate, PrivateKey privateKey) {

    public Credential {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** Reads a certificate and key in any format {@link Pem} reads, and checks that they belong together. */
    public static Credential fromPem(String certificatePem, String privateKeyPem) {
        Credential c = new Credential(Pem.parseCertificate(certificatePem), Pem.parsePrivateKey(privateKeyPem));
        KeyMatch.check(c.certificate.getPublicKey(), c.privateKey, "certificate");
        return c;
    }

    /** {@link #fromPem} on two files. */
    public static Credential load(Path certificateFile, Path privateKeyFile) throws IOException {
        return fromPem(Files.readString(certificateFile), Files.readString(privateKeyFile));
    }

    public String certificatePem() {
        return Pem.certificatePem(certificate);
    }

    /** The key as client-go writes it: PKCS#1 for RSA, SEC1 for EC (see {@link Pem#privateKeyPem}). */
    public String privateKeyPem() {
        return Pem.privateKeyPem(privateKey);
    }

    /** The key as PKCS#8, for consumers that accept nothing else. */
    public String privateKeyPkcs8Pem() {
        return Pem.privateKeyPkcs8Pem(privateKey);
    }

    /** The subject CN (the Kubernetes user name), "" if none. */
    public String commonName() {
        return SubjectNames.commonName(certificate);
    }

    /** Writes the certificate, and the key with mode 0600 where the file system supports POSIX permissions. */
    public void writeTo(Path certificateFile, Path privateKeyFile) throws IOException {
        PrivateFiles.writePublic(certificateFile, certificatePem());
        PrivateFiles.write(privateKeyFile, privateKeyPem());
    }
}
