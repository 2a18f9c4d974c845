package io.kubetwin.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Assembles and signs one X.509 v3 certificate. Package-private: the public surface is
 * {@link CertificateAuthority}. Mirrors what Go's {@code x509.CreateCertificate} emits for the
 * templates kubeadm and the CSR signer use: critical basicConstraints and keyUsage, non-critical EKU,
 * a SAN that is critical only when the subject is empty (RFC 5280 4.2.1.6). Not thread-safe; use once.
 */
final class CertificateBuilder {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X500Name subject;
    private final SubjectPublicKeyInfo publicKey;
    private final Instant notBefore;
    private final Instant notAfter;
    private final List<Extension> extensions = new ArrayList<>();

    CertificateBuilder(X500Name subject, PublicKey publicKey, Instant notBefore, Instant notAfter) {
        this.subject = subject;
        this.publicKey = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
        this.notBefore = notBefore;
        this.notAfter = notAfter;
    }

    CertificateBuilder basicConstraints(boolean ca) {
        return add(Extension.basicConstraints, true, new BasicConstraints(ca));
    }

    /** {@code bits} is a {@link KeyUsage} mask; zero means no extension, as in Go. */
    CertificateBuilder keyUsage(int bits) {
        return bits == 0 ? this : add(Extension.keyUsage, true, new KeyUsage(bits));
    }

    CertificateBuilder extendedKeyUsage(List<KeyPurposeId> purposes) {
        return purposes.isEmpty()
                ? this
                : add(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
    }

    CertificateBuilder subjectAltNames(GeneralNames names) {
        return names == null ? this : add(Extension.subjectAlternativeName, subject.getRDNs().length == 0, names);
    }

    CertificateBuilder subjectKeyIdentifier() {
        return add(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(publicKey)));
    }

    CertificateBuilder authorityKeyIdentifier(byte[] issuerKeyId) {
        return add(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(issuerKeyId));
    }

    private CertificateBuilder add(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        try {
            extensions.add(new Extension(oid, critical, new DEROctetString(value)));
        } catch (IOException e) {
            throw new PkiException("cannot encode extension " + oid.getId(), e);
        }
        return this;
    }

    /** Signs with the issuer's key; {@code issuerPublicKey} picks the signature algorithm. */
    X509Certificate sign(X500Name issuer, PublicKey issuerPublicKey, PrivateKey issuerKey) {
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(
                issuer, serialNumber(), Date.from(notBefore), Date.from(notAfter), subject, publicKey);
        try {
            for (Extension e : extensions) {
                b.addExtension(e);
            }
            var signer = new JcaContentSignerBuilder(KeyType.signatureAlgorithm(issuerPublicKey)).build(issuerKey);
            return Pem.certificateFromDer(b.build(signer).getEncoded());
        } catch (IOException | OperatorCreationException e) {
            throw new PkiException("cannot sign certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    /** A random positive serial below 2^128, as the CSR signer draws it. */
    static BigInteger serialNumber() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    /** RFC 5280 method 1 (SHA-1 of the subjectPublicKey bits), which Go uses too. */
    static byte[] keyId(SubjectPublicKeyInfo key) {
        try {
            return MessageDigest.getInstance("SHA-1")
                    .digest(key.getPublicKeyData().getBytes());
        } catch (GeneralSecurityException e) {
            throw new PkiException("SHA-1 unavailable", e);
        }
    }

    /** The subjectAltName value for these DNS names and IP literals, or null when both are empty. */
    static GeneralNames subjectAltNames(List<String> dnsNames, List<String> ipAddresses) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        ipAddresses.forEach(
                ip -> names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(IpAddresses.toBytes(ip)))));
        return names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new));
    }
}
