package io.kubetwin.pki;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1String;
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
    private SubjectNames() {
    }

    /**
     * The subject kubetwin writes: one RDN per organization in the given order, then the CN
     * (skipped when empty) — the layout of {@code openssl req -subj "/O=dev/O=ops/CN=alice"}.
     */
    public static X500Name of(String commonName, List<String> organizations) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(o -> b.addRDN(BCStyle.O, o));
        if (!commonName.isEmpty()) {
            b.addRDN(BCStyle.CN, commonName);
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

    private static List<AttributeTypeAndValue> attributes(X500Name name) {
        List<AttributeTypeAndValue> out = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            out.addAll(List.of(rdn.getTypesAndValues()));
        }
        return out;
    }

    private static String text(AttributeTypeAndValue atv) {
        return atv.getValue() instanceof ASN1String s ? s.getString() : atv.getValue().toString();
    }
}
