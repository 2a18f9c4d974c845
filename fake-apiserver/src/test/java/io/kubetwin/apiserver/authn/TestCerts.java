package io.kubetwin.apiserver.authn;

import io.kubetwin.auth.authn.X509Names;
import io.vertx.core.Future;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test certificates made with BouncyCastle: small builders, real signatures. */
public final class TestCerts {
    public static final Instant NOT_BEFORE = Instant.parse("2029-01-01T00:00:00Z");
    public static final Instant NOT_AFTER = Instant.parse("2031-01-01T00:00:00Z");
    public static final Instant NOW = Instant.parse("2030-06-01T00:00:00Z");
    public static final ASN1ObjectIdentifier UID_OID = new ASN1ObjectIdentifier("1.3.6.1.4.1.57683.2");

    private TestCerts() {}

    /** A certificate with its key pair. */
    public record Issued(X509Certificate cert, KeyPair keys) {}

    public static KeyPair ec() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Builder cert() {
        return new Builder();
    }

    /** A CA named {@code cn}, self-signed, EC. */
    public static Issued ca(String cn) {
        return cert().cn(cn).ca(true).build();
    }

    /** A client certificate for {@code cn} with client-auth usage, issued by {@code issuer}. */
    public static Issued client(Issued issuer, String cn, String... organizations) {
        Builder b = cert().cn(cn).issuer(issuer).eku(KeyPurposeId.id_kp_clientAuth);
        for (String o : organizations) {
            b.o(o);
        }
        return b.build();
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class Builder {
        private final List<Object[]> rdns = new ArrayList<>();
        private Issued issuer;
        private KeyPair keys;
        private boolean ca;
        private boolean basicConstraints = true;
        private Integer pathLen;
        private boolean v1;
        private final List<KeyPurposeId> ekus = new ArrayList<>();
        private Integer keyUsage;
        private Instant notBefore = NOT_BEFORE;
        private Instant notAfter = NOT_AFTER;
        private BigInteger serial = BigInteger.valueOf(System.nanoTime() & 0xffffffffL);
        private byte[] skid;
        private byte[] akid;

        public Builder cn(String cn) {
            rdns.add(new Object[] {BCStyle.CN, new DERUTF8String(cn)});
            return this;
        }

        public Builder o(String o) {
            rdns.add(new Object[] {BCStyle.O, new DERUTF8String(o)});
            return this;
        }

        public Builder attribute(ASN1ObjectIdentifier type, ASN1Encodable value) {
            rdns.add(new Object[] {type, value});
            return this;
        }

        public Builder issuer(Issued parent) {
            this.issuer = parent;
            return this;
        }

        public Builder keys(KeyPair pair) {
            this.keys = pair;
            return this;
        }

        public Builder ca(boolean isCa) {
            this.ca = isCa;
            return this;
        }

        public Builder pathLen(int length) {
            this.pathLen = length;
            return this;
        }

        public Builder noBasicConstraints() {
            this.basicConstraints = false;
            return this;
        }

        public Builder v1() {
            this.v1 = true;
            return this;
        }

        public Builder eku(KeyPurposeId... usages) {
            ekus.addAll(List.of(usages));
            return this;
        }

        public Builder keyUsage(int bits) {
            this.keyUsage = bits;
            return this;
        }

        public Builder validity(Instant from, Instant to) {
            this.notBefore = from;
            this.notAfter = to;
            return this;
        }

        public Builder serial(long value) {
            this.serial = BigInteger.valueOf(value);
            return this;
        }

        public Builder subjectKeyId(byte[] id) {
            this.skid = id;
            return this;
        }

        public Builder authorityKeyId(byte[] id) {
            this.akid = id;
            return this;
        }

        public Issued build() {
            try {
                KeyPair own = keys != null ? keys : ec();
                X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
                for (Object[] rdn : rdns) {
                    nb.addRDN((ASN1ObjectIdentifier) rdn[0], (ASN1Encodable) rdn[1]);
                }
                X500Name subject = nb.build();
                X500Name issuerName = issuer == null
                        ? subject
                        : X500Name.getInstance(
                                issuer.cert().getSubjectX500Principal().getEncoded());
                KeyPair signing = issuer == null ? own : issuer.keys();
                String algorithm =
                        signing.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
                var signer = new JcaContentSignerBuilder(algorithm).build(signing.getPrivate());
                X509Certificate cert;
                if (v1) {
                    cert = new JcaX509CertificateConverter()
                            .getCertificate(new JcaX509v1CertificateBuilder(
                                            issuerName,
                                            serial,
                                            Date.from(notBefore),
                                            Date.from(notAfter),
                                            subject,
                                            own.getPublic())
                                    .build(signer));
                } else {
                    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                            issuerName, serial, Date.from(notBefore), Date.from(notAfter), subject, own.getPublic());
                    if (basicConstraints) {
                        b.addExtension(
                                Extension.basicConstraints,
                                true,
                                ca
                                        ? (pathLen != null ? new BasicConstraints(pathLen) : new BasicConstraints(true))
                                        : new BasicConstraints(false));
                    }
                    if (keyUsage != null) {
                        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                    } else if (ca) {
                        b.addExtension(
                                Extension.keyUsage,
                                true,
                                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature));
                    }
                    if (!ekus.isEmpty()) {
                        b.addExtension(
                                Extension.extendedKeyUsage,
                                false,
                                new ExtendedKeyUsage(ekus.toArray(new KeyPurposeId[0])));
                    }
                    if (skid != null) {
                        b.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(skid));
                    }
                    byte[] authority = akid != null ? akid : issuer == null ? null : skidOf(issuer.cert());
                    if (authority != null) {
                        b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authority));
                    }
                    cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
                }
                return new Issued(cert, own);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static byte[] skidOf(X509Certificate cert) {
            byte[] id = X509Names.subjectKeyId(cert);
            return id.length == 0 ? null : id;
        }
    }
}
