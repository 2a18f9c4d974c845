package io.kubetwin.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A certificate authority: kubeadm's cluster CA ({@code /etc/kubernetes/pki/ca.crt}, CN "kubernetes"),
 * a front-proxy CA, or any CA loaded from files openssl made. Issues client, serving and CA certificates
 * from a {@link CertificateSpec}, and signs CSRs the way the kube-controller-manager signer does.
 * Immutable and thread-safe.
 */
public final class CertificateAuthority {
    /** The CN kubeadm gives the cluster CA. */
    public static final String KUBERNETES_CA_NAME = "kubernetes";
    /** The CN of kubeadm's apiserver serving certificate. */
    public static final String APISERVER_NAME = "kube-apiserver";
    /** The DNS SANs kubeadm puts on the apiserver serving certificate (with the default cluster domain). */
    public static final List<String> APISERVER_DNS_NAMES = List.of(
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local",
            "localhost");
    /** CSR signer backdating of notBefore (k/k pkg/controller/certificates/signer/signer.go). */
    static final Duration SIGNER_BACKDATE = Duration.ofMinutes(5);
    /** Below this TTL the signer does not also pull notAfter back by the backdate. */
    static final Duration SIGNER_SHORT = Duration.ofHours(8);

    private static final DateTimeFormatter GO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000 UTC'").withZone(ZoneOffset.UTC);

    private final Credential credential;
    private final X500Name subject;
    private final byte[] keyId;

    private CertificateAuthority(Credential credential) {
        this.credential = credential;
        X509Certificate cert = credential.certificate();
        // v1 certificates (old openssl recipes) carry no basicConstraints; accept them as roots like Go does.
        if (cert.getVersion() >= 3 && cert.getBasicConstraints() < 0) {
            throw new PkiException("certificate \"" + cert.getSubjectX500Principal()
                    + "\" is not a CA (basicConstraints CA:FALSE or absent)");
        }
        KeyMatch.check(cert.getPublicKey(), credential.privateKey(), "CA certificate");
        this.subject = SubjectNames.subject(cert);
        this.keyId = subjectKeyId(cert);
    }

    /**
     * A new self-signed CA, as kubeadm makes it (client-go's NewSelfSignedCACert): subject CN only,
     * basicConstraints CA:true, keyUsage digitalSignature|keyCertSign|cRLSign, a subjectKeyIdentifier and
     * (as Go does for self-signed certificates) no authorityKeyIdentifier. notBefore is backdated by
     * {@link CertificateSpec#CLOCK_SKEW}. Generates a key: call off event loops.
     */
    public static CertificateAuthority generate(String commonName, KeyType keyType, Duration validity) {
        KeyPair keys = keyType.generate();
        Instant now = Instant.now();
        X500Name name = SubjectNames.of(commonName, List.of());
        X509Certificate cert = new CertificateBuilder(
                        name, keys.getPublic(), now.minus(CertificateSpec.CLOCK_SKEW), now.plus(validity))
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign | KeyUsage.cRLSign)
                .basicConstraints(true)
                .subjectKeyIdentifier()
                .sign(name, keys.getPublic(), keys.getPrivate());
        return new CertificateAuthority(new Credential(cert, keys.getPrivate()));
    }

    /** kubeadm's defaults: CN "kubernetes", RSA 2048, 10 years. */
    public static CertificateAuthority generate() {
        return generate(KUBERNETES_CA_NAME, KeyType.RSA_2048, Duration.ofDays(3650));
    }

    /** Loads {@code ca.crt} and {@code ca.key} (any key format openssl writes); checks the pair matches and is a CA. */
    public static CertificateAuthority load(Path caCertificate, Path caKey) throws IOException {
        return fromPem(
                Files.readString(caCertificate, StandardCharsets.US_ASCII),
                Files.readString(caKey, StandardCharsets.US_ASCII));
    }

    public static CertificateAuthority fromPem(String certificatePem, String privateKeyPem) {
        return new CertificateAuthority(
                new Credential(Pem.parseCertificate(certificatePem), Pem.parsePrivateKey(privateKeyPem)));
    }

    /** An intermediate (or any) CA from a credential, e.g. one issued with {@link CertificateSpec#ca}. */
    public static CertificateAuthority of(Credential credential) {
        return new CertificateAuthority(credential);
    }

    public X509Certificate certificate() {
        return credential.certificate();
    }

    public PrivateKey privateKey() {
        return credential.privateKey();
    }

    public Credential credential() {
        return credential;
    }

    public String certificatePem() {
        return credential.certificatePem();
    }

    /** Writes {@code ca.crt} and {@code ca.key} (mode 0600). */
    public void writeTo(Path certificateFile, Path privateKeyFile) throws IOException {
        credential.writeTo(certificateFile, privateKeyFile);
    }

    /** Generates a key of {@code spec.keyType()} and issues a certificate for it. Call off event loops. */
    public Credential issue(CertificateSpec spec) {
        KeyPair keys = spec.keyType().generate();
        return new Credential(issue(spec, keys.getPublic()), keys.getPrivate());
    }

    /**
     * Issues a certificate for a key the caller holds. Extensions: basicConstraints (critical), keyUsage
     * (critical; digitalSignature, plus keyEncipherment for RSA keys; keyCertSign|cRLSign for CAs),
     * extendedKeyUsage serverAuth/clientAuth as asked, subjectAltName, subjectKeyIdentifier and
     * authorityKeyIdentifier. Dates are exactly the spec's, so expired and not-yet-valid certificates work.
     */
    public X509Certificate issue(CertificateSpec spec, PublicKey publicKey) {
        int keyUsage = KeyUsage.digitalSignature;
        if (spec.ca()) {
            keyUsage |= KeyUsage.keyCertSign | KeyUsage.cRLSign;
        } else if (KeyType.isRsa(publicKey)) {
            keyUsage |= KeyUsage.keyEncipherment;
        }
        List<KeyPurposeId> purposes = new ArrayList<>();
        if (spec.server()) {
            purposes.add(KeyPurposeId.id_kp_serverAuth);
        }
        if (spec.client()) {
            purposes.add(KeyPurposeId.id_kp_clientAuth);
        }
        return new CertificateBuilder(
                        SubjectNames.of(spec.commonName(), spec.organizations(), spec.uid()),
                        publicKey,
                        spec.notBefore(),
                        spec.notAfter())
                .keyUsage(keyUsage)
                .extendedKeyUsage(purposes)
                .basicConstraints(spec.ca())
                .subjectKeyIdentifier()
                .authorityKeyIdentifier(keyId)
                .subjectAltNames(CertificateBuilder.subjectAltNames(spec.dnsNames(), spec.ipAddresses()))
                .sign(subject, certificate().getPublicKey(), privateKey());
    }

    /**
     * The apiserver's serving certificate as kubeadm names it: CN "kube-apiserver", serverAuth, the given
     * SANs verbatim (see {@link #APISERVER_DNS_NAMES} for kubeadm's DNS names), RSA 2048, one year.
     */
    public Credential issueServing(List<String> dnsNames, List<String> ipAddresses) {
        return issue(CertificateSpec.server(APISERVER_NAME)
                .dnsNames(dnsNames)
                .ipAddresses(ipAddresses)
                .build());
    }

    // ---------------------------------------------------------------- CSR signing

    /** The usages {@link #signCsr(String, Duration)} grants: a client certificate like {@link #issue} makes. */
    public static Set<CertificateUsage> defaultClientUsages(PublicKey key) {
        return KeyType.isRsa(key)
                ? EnumSet.of(
                        CertificateUsage.DIGITAL_SIGNATURE,
                        CertificateUsage.KEY_ENCIPHERMENT,
                        CertificateUsage.CLIENT_AUTH)
                : EnumSet.of(CertificateUsage.DIGITAL_SIGNATURE, CertificateUsage.CLIENT_AUTH);
    }

    /** Signs a PEM CSR as a client certificate (signer {@code kubernetes.io/kube-apiserver-client}). */
    public X509Certificate signCsr(String csrPem, Duration ttl) {
        Csr csr = Pem.parseCsr(csrPem);
        return signCsr(csr.der(), defaultClientUsages(csr.publicKey()), ttl);
    }

    /** Signs a PEM CSR with exactly the usages given ({@code spec.usages} of the CertificateSigningRequest). */
    public X509Certificate signCsr(String csrPem, Set<CertificateUsage> usages, Duration ttl) {
        return signCsr(Pem.parseCsr(csrPem).der(), usages, ttl);
    }

    /**
     * Signs a DER CSR as the kube-controller-manager signer does (k/k
     * {@code pkg/controller/certificates/authority/authority.go} and {@code policies.go}): the request's
     * signature must verify; the subject is re-encoded as Go does ({@link SubjectNames#goCanonical}) and the
     * public key kept as requested; DNS, IP, email and URI SANs are copied; every other requested extension is dropped; basicConstraints CA:false;
     * keyUsage/extendedKeyUsage exactly from {@code usages} (EKUs in Go's order); notBefore = now - 5m;
     * notAfter = now + ttl, minus the 5m backdate when ttl is 8h or more, and never past the CA's notAfter.
     * Like Go's CreateCertificate for a non-CA leaf, there is an authorityKeyIdentifier but no
     * subjectKeyIdentifier. Errors carry the signer's messages.
     */
    public X509Certificate signCsr(byte[] csrDer, Set<CertificateUsage> usages, Duration ttl) {
        Objects.requireNonNull(usages, "usages");
        Csr csr = Csr.fromDer(csrDer);
        if (!csr.signatureValid()) {
            throw new PkiException("unable to verify certificate request signature: "
                    + "the signature does not match the request's public key");
        }
        Instant now = Instant.now();
        Instant caNotAfter = certificate().getNotAfter().toInstant();
        Instant notBefore = now.minus(SIGNER_BACKDATE);
        Instant notAfter =
                ttl.compareTo(SIGNER_SHORT) < 0 ? now.plus(ttl) : now.plus(ttl).minus(SIGNER_BACKDATE);
        if (!notAfter.isBefore(caNotAfter)) {
            notAfter = caNotAfter;
        }
        if (!notBefore.isBefore(caNotAfter)) {
            throw new PkiException("the signer has expired: NotAfter=" + GO_TIME.format(caNotAfter));
        }
        if (!now.isBefore(caNotAfter)) {
            throw new PkiException(
                    "refusing to sign a certificate that expired in the past: NotAfter=" + GO_TIME.format(caNotAfter));
        }
        int keyUsage = 0;
        Set<KeyPurposeId> purposes = new LinkedHashSet<>();
        EnumSet<CertificateUsage> inGoOrder = EnumSet.noneOf(CertificateUsage.class);
        inGoOrder.addAll(usages);
        for (CertificateUsage u : inGoOrder) {
            keyUsage |= u.keyUsageBit();
            if (u.extendedKeyUsage() != null) {
                purposes.add(u.extendedKeyUsage());
            }
        }
        PKCS10CertificationRequest request = Csr.request(csrDer);
        return new CertificateBuilder(
                        SubjectNames.goCanonical(request.getSubject()), csr.publicKey(), notBefore, notAfter)
                .keyUsage(keyUsage)
                .extendedKeyUsage(List.copyOf(purposes))
                .basicConstraints(false)
                .authorityKeyIdentifier(keyId)
                .subjectAltNames(copiedSans(request))
                .sign(subject, certificate().getPublicKey(), privateKey());
    }

    /** {@link #signCsr(byte[], Set, Duration)} for a DER CSR with the default client usages. */
    public X509Certificate signCsr(byte[] csrDer, Duration ttl) {
        Csr csr = Csr.fromDer(csrDer);
        return signCsr(csrDer, defaultClientUsages(csr.publicKey()), ttl);
    }

    // Go copies DNSNames, IPAddresses, EmailAddresses and URIs from the request; other name types are lost.
    private static GeneralNames copiedSans(PKCS10CertificationRequest request) {
        Extensions requested = request.getRequestedExtensions();
        GeneralNames sans =
                requested == null ? null : GeneralNames.fromExtensions(requested, Extension.subjectAlternativeName);
        if (sans == null) {
            return null;
        }
        List<GeneralName> kept = new ArrayList<>();
        for (GeneralName n : sans.getNames()) {
            int tag = n.getTagNo();
            if (tag == GeneralName.dNSName
                    || tag == GeneralName.iPAddress
                    || tag == GeneralName.rfc822Name
                    || tag == GeneralName.uniformResourceIdentifier) {
                kept.add(n);
            }
        }
        return kept.isEmpty() ? null : new GeneralNames(kept.toArray(GeneralName[]::new));
    }

    // The CA's own subjectKeyIdentifier if it has one (openssl and Go both add it), else computed the same way.
    private static byte[] subjectKeyId(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext != null) {
            return SubjectKeyIdentifier.getInstance(
                            ASN1OctetString.getInstance(ext).getOctets())
                    .getKeyIdentifier();
        }
        return CertificateBuilder.keyId(
                SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded()));
    }
}
