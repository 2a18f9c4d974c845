package io.kubetwin.apiserver.certificates;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The parts of a PKCS#10 request that the CSR rules look at, as Go's x509.CertificateRequest exposes
 * them: subject CommonName and Organization, and the DNS, email, IP and URI subject alternative names.
 *
 * @param der the DER bytes of the request
 */
public record CertificateRequest(
        String commonName,
        List<String> organizations,
        List<String> dnsNames,
        List<String> emailAddresses,
        List<String> ipAddresses,
        List<String> uris,
        PublicKey publicKey,
        byte[] der) {

    /** A request that cannot be parsed or verified, with Go's error text. */
    public static final class InvalidRequest extends Exception {
        public InvalidRequest(String message) {
            super(message);
        }
    }

    /**
     * certificates.ParseCSR: the first PEM block must be a CERTIFICATE REQUEST, and its DER must parse.
     * The error texts for malformed DER are approximations of Go's asn1 messages.
     */
    public static CertificateRequest parse(byte[] pem) throws InvalidRequest {
        GoPem.Block block = GoPem.first(pem).orElse(null);
        if (block == null || !"CERTIFICATE REQUEST".equals(block.type())) {
            throw new InvalidRequest("PEM block type must be CERTIFICATE REQUEST");
        }
        PKCS10CertificationRequest request;
        PublicKey key;
        try {
            request = new PKCS10CertificationRequest(block.bytes());
            key = new JcaPKCS10CertificationRequest(request).getPublicKey();
        } catch (IOException | RuntimeException | GeneralSecurityException e) {
            throw new InvalidRequest("asn1: structure error: " + e.getMessage());
        }
        try {
            return read(request, key, block.bytes());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // BouncyCastle parses the subject's strings and the requested extensions lazily, and fails on them with
            // unchecked exceptions: a UTF8String holding invalid UTF-8 (encoding/asn1's parseUTF8String error), an
            // Extension of the wrong size (Go's asn1 wording for those is approximated)
            throw new InvalidRequest(
                    e.getMessage() != null && e.getMessage().contains("UTF-8")
                            ? "asn1: invalid UTF-8 string"
                            : "asn1: structure error: " + e.getMessage());
        }
    }

    /** The subject first, then the requested extensions: Go's x509.ParseCertificateRequest fails in that order. */
    private static CertificateRequest read(PKCS10CertificationRequest request, PublicKey key, byte[] der) {
        X500Name subject = request.getSubject();
        String commonName = last(subject, BCStyle.CN);
        List<String> organizations = all(subject, BCStyle.O);
        List<String> dns = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        Extensions extensions = request.getRequestedExtensions();
        GeneralNames sans =
                extensions == null ? null : GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        if (sans != null) {
            for (GeneralName n : sans.getNames()) {
                switch (n.getTagNo()) {
                    case GeneralName.dNSName -> dns.add(n.getName().toString());
                    case GeneralName.rfc822Name -> emails.add(n.getName().toString());
                    case GeneralName.uniformResourceIdentifier ->
                        uris.add(n.getName().toString());
                    case GeneralName.iPAddress ->
                        ips.add(HexFormat.of()
                                .formatHex(
                                        ASN1OctetString.getInstance(n.getName()).getOctets()));
                    default -> {}
                }
            }
        }
        return new CertificateRequest(commonName, organizations, dns, emails, ips, uris, key, der);
    }

    /** CheckSignature: the request must be signed by the key it carries. */
    public void checkSignature() throws InvalidRequest {
        try {
            PKCS10CertificationRequest request = new PKCS10CertificationRequest(der);
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey))) {
                throw new InvalidRequest(
                        publicKey.getAlgorithm().startsWith("EC")
                                ? "x509: ECDSA verification failure"
                                : "crypto/rsa: verification error");
            }
        } catch (InvalidRequest e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidRequest("x509: cannot verify signature: " + e.getMessage());
        }
    }

    // pkix.Name keeps the last CommonName it meets
    private static String last(X500Name name, ASN1ObjectIdentifier type) {
        List<String> values = all(name, type);
        return values.isEmpty() ? "" : values.get(values.size() - 1);
    }

    private static List<String> all(X500Name name, ASN1ObjectIdentifier type) {
        List<String> out = new ArrayList<>();
        for (RDN rdn : name.getRDNs(type)) {
            var value = rdn.getFirst().getValue();
            out.add(value instanceof ASN1String s ? s.getString() : IETFUtils.valueToString(value));
        }
        return out;
    }
}
