package io.kubetwin.auth.authn;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNumericString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERT61String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * The parts of a certificate's subject and key identifiers that kube-apiserver reads, decoded the way
 * Go's crypto/x509/pkix.Name does: the last CN wins, every O is kept in order, and only string-typed
 * attribute values count. Stateless and thread-safe.
 */
public final class X509Names {
    static final ASN1ObjectIdentifier CN = new ASN1ObjectIdentifier("2.5.4.3");
    static final ASN1ObjectIdentifier O = new ASN1ObjectIdentifier("2.5.4.10");
    /** The user UID attribute read by kube-apiserver 1.33+ (feature AllowParsingUserUIDFromCertAuth). */
    static final ASN1ObjectIdentifier UID = new ASN1ObjectIdentifier("1.3.6.1.4.1.57683.2");

    /**
     * @param uidValues every value of the UID attribute, in order; a non-string value is represented by null
     */
    record Subject(String commonName, List<String> organizations, List<String> uidValues) {}

    private X509Names() {}

    static Subject subject(X509Certificate cert) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        String cn = "";
        List<String> organizations = new ArrayList<>();
        List<String> uids = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String value = goString(atv.getValue());
                if (atv.getType().equals(UID)) {
                    uids.add(value);
                }
                if (value == null) {
                    continue;
                }
                if (atv.getType().equals(CN)) {
                    cn = value;
                } else if (atv.getType().equals(O)) {
                    organizations.add(value);
                }
            }
        }
        return new Subject(cn, List.copyOf(organizations), Collections.unmodifiableList(uids));
    }

    /** The ASN.1 string types encoding/asn1 decodes into a Go string; anything else is null. */
    private static String goString(ASN1Encodable value) {
        if (value instanceof DERUTF8String
                || value instanceof DERPrintableString
                || value instanceof DERIA5String
                || value instanceof DERT61String
                || value instanceof DERNumericString
                || value instanceof DERBMPString) {
            return ((ASN1String) value).getString();
        }
        return null;
    }

    public static byte[] subjectKeyId(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue("2.5.29.14");
        if (ext == null) {
            return new byte[0];
        }
        try {
            return SubjectKeyIdentifier.getInstance(
                            ASN1OctetString.getInstance(ext).getOctets())
                    .getKeyIdentifier();
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }

    static byte[] authorityKeyId(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue("2.5.29.35");
        if (ext == null) {
            return new byte[0];
        }
        try {
            byte[] id = AuthorityKeyIdentifier.getInstance(
                            ASN1OctetString.getInstance(ext).getOctets())
                    .getKeyIdentifier();
            return id == null ? new byte[0] : id;
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }

    /** Upper-case hex with colons between bytes, as x509.go's columnSeparatedHex prints key ids. */
    static String columnSeparatedHex(byte[] bytes) {
        return HexFormat.ofDelimiter(":").formatHex(bytes).toUpperCase(Locale.ROOT);
    }

    /** {@code SN=<decimal serial>, SKID=<hex>, AKID=<hex>} (x509.go certificateIdentifier). */
    static String certificateIdentifier(X509Certificate cert) {
        return "SN=" + cert.getSerialNumber() + ", SKID=" + columnSeparatedHex(subjectKeyId(cert)) + ", AKID="
                + columnSeparatedHex(authorityKeyId(cert));
    }
}
