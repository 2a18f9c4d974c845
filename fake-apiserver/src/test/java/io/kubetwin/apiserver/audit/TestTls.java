package io.kubetwin.apiserver.audit;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA and a 127.0.0.1 server certificate for test servers, and client certificates from the same CA. (Clients
 * trusting it build their TLS context with pki's {@code KeyStores.clientContext}.)
 */
public record TestTls(String caPem, String certPem, String keyPem, KeyPair caKeys) {

    /** A client certificate for {@code subject} (e.g. {@code CN=kube-apiserver}), as PEM certificate and key. */
    public String[] client(String subject) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = kpg.generateKeyPair();
            Date from = Date.from(Instant.now().minus(Duration.ofMinutes(5)));
            Date to = Date.from(Instant.now().plus(Duration.ofDays(1)));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
            X509CertificateHolder cert = new JcaX509v3CertificateBuilder(
                            new X500Name("CN=test-ca"),
                            BigInteger.valueOf(System.nanoTime()),
                            from,
                            to,
                            new X500Name(subject),
                            keys.getPublic())
                    .build(signer);
            return new String[] {pem(cert), pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate())};
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestTls generate() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair ca = kpg.generateKeyPair();
            KeyPair server = kpg.generateKeyPair();
            Date from = Date.from(Instant.now().minus(Duration.ofMinutes(5)));
            Date to = Date.from(Instant.now().plus(Duration.ofDays(1)));
            X500Name caName = new X500Name("CN=test-ca");
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate());
            X509CertificateHolder caCert = new JcaX509v3CertificateBuilder(
                            caName, BigInteger.ONE, from, to, caName, ca.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .build(signer);
            X509CertificateHolder serverCert = new JcaX509v3CertificateBuilder(
                            caName, BigInteger.TWO, from, to, new X500Name("CN=test-server"), server.getPublic())
                    .addExtension(
                            Extension.subjectAlternativeName,
                            false,
                            new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")))
                    .build(signer);
            return new TestTls(
                    pem(caCert), pem(serverCert), pem(new JcaPKCS8Generator(server.getPrivate(), null).generate()), ca);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
