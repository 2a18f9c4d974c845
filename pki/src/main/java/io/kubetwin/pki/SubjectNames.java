package io.kubetwin.pki;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Subject names as Kubernetes reads them. The x509 authenticator takes the user from the subject CN and
 * the groups from every O value; Go's {@code pkix.Name.FillFromRDNSequence} walks all RDNs in order, so the
 * last CN wins and all O values are kept in order, including several in one multi-valued RDN. Stateless.
 */
public final class SubjectNames {
    /**
     * The subject attribute kube-apiserver reads the user UID from (AllowParsingUserUIDFromCertAuth, beta and on
     * since 1.34; staging/src/k8s.io/apiserver/pkg/authentication/request/x509/x509.go).
     */
    public static final ASN1ObjectIdentifier UID = new ASN1ObjectIdentifier("1.3.6.1.4.1.57683.2");

    private SubjectNames() {}

    /**
     * The subject kubetwin writes: one RDN per organization in the given order, then the CN
     * (skipped when empty) — the layout of {@code openssl req -subj "/O=dev/O=ops/CN=alice"}.
     */
    public static X500Name of(String commonName, List<String> organizations) {
        return of(commonName, organizations, "");
    }

    /** {@link #of(String, List)} followed by a {@link #UID} RDN when {@code uid} is not empty. */
    public static X500Name of(String commonName, List<String> organizations, String uid) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(o -> b.addRDN(BCStyle.O, o));
        if (!commonName.isEmpty()) {
            b.addRDN(BCStyle.CN, commonName);
        }
        if (!uid.isEmpty()) {
            b.addRDN(UID, uid);
        }
        return b.build();
    }

    /** The user name Kubernetes reads: the last CN value, or "" if there is none. */
    public static String commonName(X500Name name) {
        String cn = "";
        for (AttributeTypeAndValue atv : attributes(name)) {
            if (atv.getType().equals(BCStyle.CN)) {
                cn = text(atv);
            }
        }
        return cn;
    }

    /** The groups Kubernetes reads: every O value, in order. */
    public static List<String> organizations(X500Name name) {
        List<String> out = new ArrayList<>();
        for (AttributeTypeAndValue atv : attributes(name)) {
            if (atv.getType().equals(BCStyle.O)) {
                out.add(text(atv));
            }
        }
        return List.copyOf(out);
    }

    /** The certificate's subject, byte-for-byte (no re-encoding through X500Principal's string form). */
    public static X500Name subject(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    public static String commonName(X509Certificate certificate) {
        return commonName(subject(certificate));
    }

    public static List<String> organizations(X509Certificate certificate) {
        return organizations(subject(certificate));
    }

    /**
     * The subject Go writes for a name it parsed: pkix.Name.FillFromRDNSequence keeps only C, ST, L, street,
     * postalCode, O, OU, CN (the last one) and serialNumber, and ToRDNSequence writes them back in that fixed
     * order, each attribute type as one (possibly multi-valued) RDN, as PrintableString where the characters
     * allow and UTF8String otherwise. The kube-controller-manager signer issues certificates this way, so
     * {@code /CN=alice/O=dev} comes back as {@code O=dev, CN=alice}.
     */
    public static X500Name goCanonical(X500Name name) {
        List<ASN1ObjectIdentifier> order = List.of(
                BCStyle.C,
                BCStyle.ST,
                BCStyle.L,
                BCStyle.STREET,
                BCStyle.POSTAL_CODE,
                BCStyle.O,
                BCStyle.OU,
                BCStyle.CN,
                BCStyle.SERIALNUMBER);
        Map<ASN1ObjectIdentifier, List<String>> values = new LinkedHashMap<>();
        for (AttributeTypeAndValue atv : attributes(name)) {
            if (!(atv.getValue() instanceof ASN1String) || !order.contains(atv.getType())) {
                continue;
            }
            List<String> list = values.computeIfAbsent(atv.getType(), k -> new ArrayList<>());
            if (atv.getType().equals(BCStyle.CN) || atv.getType().equals(BCStyle.SERIALNUMBER)) {
                list.clear();
            }
            list.add(text(atv));
        }
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        for (ASN1ObjectIdentifier type : order) {
            List<String> vs = values.getOrDefault(type, List.of());
            if (vs.isEmpty() || (vs.size() == 1 && vs.get(0).isEmpty())) {
                continue;
            }
            AttributeTypeAndValue[] set = vs.stream()
                    .map(v -> new AttributeTypeAndValue(type, goString(v)))
                    .toArray(AttributeTypeAndValue[]::new);
            b.addMultiValuedRDN(set);
        }
        return b.build();
    }

    private static ASN1Encodable goString(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean printable = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c >= '\'' && c <= ')'
                    || c >= '+' && c <= '/'
                    || c == ' '
                    || c == ':'
                    || c == '='
                    || c == '?';
            if (!printable) {
                return new DERUTF8String(value);
            }
        }
        return new DERPrintableString(value);
    }

    private static List<AttributeTypeAndValue> attributes(X500Name name) {
        List<AttributeTypeAndValue> out = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            out.addAll(List.of(rdn.getTypesAndValues()));
        }
        return out;
    }

    private static String text(AttributeTypeAndValue atv) {
        return atv.getValue() instanceof ASN1String s
                ? s.getString()
                : atv.getValue().toString();
    }
}
