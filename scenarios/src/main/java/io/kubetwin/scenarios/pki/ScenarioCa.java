package io.kubetwin.scenarios.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority with an ECDSA P-256 key. Thread-safe: it holds no mutable state besides a random
 * source.
 */
public final class ScenarioCa {

    /** The subject RDN kube-apiserver 1.33+ reads the user UID from. */
    public static final ASN1ObjectIdentifier UID_OID = new ASN1ObjectIdentifier("1.3.6.1.4.1.57683.2");

    private final KeyPair keyPair;
    private final X500Name subject;
    private final PemCredential credential;
    private final SecureRandom random = new SecureRandom();

    private ScenarioCa(String commonName) {
        this.keyPair = newKeyPair();
        this.subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        var now = Instant.now();
        this.credential = sign(subject, keyPair, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)),
                Kind.CA, List.of(), List.of());
    }

    private ScenarioCa(PemCredential existing) {
        var cert = existing.certificate();
        this.keyPair = new KeyPair(cert.getPublicKey(), existing.privateKey());
        this.subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        this.credential = existing;
    }

    public static ScenarioCa generate(String commonName) {
        return new ScenarioCa(commonName);
    }

    /** A CA from an existing certificate and key (e.g. a k3s server's client CA); its key must be ECDSA. */
    public static ScenarioCa fromPem(String certificatePem, String privateKeyPem) {
        return new ScenarioCa(new PemCredential(certificatePem, privateKeyPem));
    }

    public String certificatePem() {
        return credential.certificatePem();
    }

    public PemCredential credential() {
        return credential;
    }

    /** A client certificate: CN = user, one O per group, optional UID RDN. */
    public PemCredential issueClient(String user, List<String> groups, String uid, Instant notBefore,
                                     Instant notAfter, boolean clientAuth) {
        var name = new X500NameBuilder(BCStyle.INSTANCE);
        for (var group : groups) {
            name.addRDN(BCStyle.O, group);
        }
        if (user != null) {
            name.addRDN(BCStyle.CN, user);
        }
        if (uid != null) {
            name.addRDN(UID_OID, uid);
        }
        return sign(name.build(), newKeyPair(), notBefore, notAfter, clientAuth ? Kind.CLIENT : Kind.SERVER_ONLY,
                List.of(), List.of());
    }

    /** A client certificate valid from an hour ago for a day. */
    public PemCredential issueClient(String user, List<String> groups) {
        var now = Instant.now();
        return issueClient(user, groups, null, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), true);
    }

    /** A serving certificate for these DNS names and IP addresses. */
    public PemCredential issueServing(String commonName, List<String> dnsNames, List<String> ips) {
        var now = Instant.now();
        return sign(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build(), newKeyPair(),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), Kind.SERVING, dnsNames, ips);
    }

    /** A fresh ECDSA key pair as PKCS#8 PEM with its public key PEM (for service-account signing keys). */
    public static PemCredential newKeyPem() {
        var pair = newKeyPair();
        return new PemCredential(pem(pair.getPublic()), pkcs8(pair));
    }

    private enum Kind { CA, CLIENT, SERVING, SERVER_ONLY }

    private PemCredential sign(X500Name holder, KeyPair holderKeys, Instant notBefore, Instant notAfter, Kind kind,
                               List<String> dnsNames, List<String> ips) {
        try {
            var issuerName = kind == Kind.CA ? holder : subject;
            var signingKeys = kind == Kind.CA ? holderKeys : keyPair;
            var builder = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(64, random).abs().add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notAfter), holder, holderKeys.getPublic());
            var ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(holderKeys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(signingKeys.getPublic()));
            switch (kind) {
                case CA -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                    builder.addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
                }
                case CLIENT -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                }
                case SERVER_ONLY -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                }
                case SERVING -> {
                    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
                    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                    var names = new ArrayList<GeneralName>();
                    dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
                    for (var ip : ips) {
                        names.add(new GeneralName(GeneralName.iPAddress,
                                new org.bouncycastle.asn1.DEROctetString(InetAddress.getByName(ip).getAddress())));
                    }
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(new GeneralName[0])));
                }
            }
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(signingKeys.getPrivate());
            X509CertificateHolder holderCert = builder.build(signer);
            return new PemCredential(pem(holderCert), pkcs8(holderKeys));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot issue certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) {
        var out = new StringWriter();
        try (var writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String pkcs8(KeyPair pair) {
        try {
            return pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate());
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException(e);
        }
    }
}
