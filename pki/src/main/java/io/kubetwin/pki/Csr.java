package io.kubetwin.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 certificate signing request, as the CertificateSigningRequest API carries it in
 * {@code spec.request}. Made with {@link #create}, read with {@link Pem#parseCsr} or {@link #fromDer}.
 *
 * @param commonName    subject CN as Kubernetes reads it ("" if none)
 * @param organizations subject O values in order
 * @param dnsNames      requested DNS subjectAltNames
 * @param ipAddresses   requested IP subjectAltNames, in Go's text form
 * @param publicKey     the key to certify
 * @param der           the request's DER encoding (defensively copied)
 */
public record Csr(
        String commonName,
        List<String> organizations,
        List<String> dnsNames,
        List<String> ipAddresses,
        PublicKey publicKey,
        byte[] der) {

    public Csr {
        organizations = List.copyOf(organizations);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    /** Requests are equal when their encodings are: every other component is read from {@link #der}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Csr other && Arrays.equals(der, other.der);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "Csr[commonName=" + commonName + ", organizations=" + organizations + ", dnsNames=" + dnsNames
                + ", ipAddresses=" + ipAddresses + ", publicKey=" + publicKey.getAlgorithm() + "]";
    }

    /** The request as a {@code CERTIFICATE REQUEST} PEM block (the bytes base64-encoded into {@code spec.request}). */
    public String pem() {
        return Pem.encode(Pem.CERTIFICATE_REQUEST, der);
    }

    /** The subject exactly as requested. */
    public X500Name subject() {
        return request(der).getSubject();
    }

    /** Whether the request is signed by the key it carries (proof of possession). */
    public boolean signatureValid() {
        try {
            PKCS10CertificationRequest r = request(der);
            // Build from the decoded key: the JDK's EC KeyFactory is not registered under the OID BC would ask for.
            return r.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey));
        } catch (OperatorCreationException | PKCSException e) {
            return false;
        }
    }

    /** A CSR for {@code commonName} in groups {@code organizations}, like {@code openssl req -new -subj "/O=../CN=.."}. */
    public static Csr create(KeyPair keyPair, String commonName, String... organizations) {
        return create(keyPair, commonName, Arrays.asList(organizations), List.of(), List.of());
    }

    /** A CSR with subjectAltNames in an extensionRequest attribute, as Go's x509.CreateCertificateRequest writes them. */
    public static Csr create(
            KeyPair keyPair,
            String commonName,
            List<String> organizations,
            List<String> dnsNames,
            List<String> ipAddresses) {
        try {
            JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(
                    SubjectNames.of(commonName, organizations), keyPair.getPublic());
            GeneralNames sans = CertificateBuilder.subjectAltNames(dnsNames, ipAddresses);
            if (sans != null) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false, sans);
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            PKCS10CertificationRequest request =
                    builder.build(new JcaContentSignerBuilder(KeyType.signatureAlgorithm(keyPair.getPublic()))
                            .build(keyPair.getPrivate()));
            return fromDer(request.getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new PkiException("cannot create certificate request: " + e.getMessage(), e);
        }
    }

    /** Reads a DER-encoded request; does not check its signature (see {@link #signatureValid()}). */
    public static Csr fromDer(byte[] der) {
        PKCS10CertificationRequest request = request(der);
        try {
            PublicKey key = new JcaPKCS10CertificationRequest(request).getPublicKey();
            List<String> dns = new ArrayList<>();
            List<String> ips = new ArrayList<>();
            Extensions extensions = request.getRequestedExtensions();
            if (extensions != null) {
                GeneralNames sans = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
                if (sans != null) {
                    for (GeneralName n : sans.getNames()) {
                        if (n.getTagNo() == GeneralName.dNSName) {
                            dns.add(n.getName().toString());
                        } else if (n.getTagNo() == GeneralName.iPAddress) {
                            ips.add(IpAddresses.toText(
                                    ASN1OctetString.getInstance(n.getName()).getOctets()));
                        }
                    }
                }
            }
            X500Name subject = request.getSubject();
            return new Csr(SubjectNames.commonName(subject), SubjectNames.organizations(subject), dns, ips, key, der);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new PkiException("unable to parse certificate request: " + e.getMessage(), e);
        }
    }

    static PKCS10CertificationRequest request(byte[] der) {
        try {
            return new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new PkiException("unable to parse certificate request: " + e.getMessage(), e);
        }
    }
}
