package io.kubetwin.pki;

import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The usages a CertificateSigningRequest may ask for ({@code spec.usages}), with the X.509 key usage bit
 * or extended key usage each one maps to in the kube-controller-manager signer
 * (k/k {@code pkg/controller/certificates/authority/policies.go}, {@code keyUsageDict}/{@code extKeyUsageDict}).
 */
public enum CertificateUsage {
    SIGNING("signing", KeyUsage.digitalSignature, null),
    DIGITAL_SIGNATURE("digital signature", KeyUsage.digitalSignature, null),
    CONTENT_COMMITMENT("content commitment", KeyUsage.nonRepudiation, null),
    KEY_ENCIPHERMENT("key encipherment", KeyUsage.keyEncipherment, null),
    KEY_AGREEMENT("key agreement", KeyUsage.keyAgreement, null),
    DATA_ENCIPHERMENT("data encipherment", KeyUsage.dataEncipherment, null),
    CERT_SIGN("cert sign", KeyUsage.keyCertSign, null),
    CRL_SIGN("crl sign", KeyUsage.cRLSign, null),
    ENCIPHER_ONLY("encipher only", KeyUsage.encipherOnly, null),
    DECIPHER_ONLY("decipher only", KeyUsage.decipherOnly, null),
    ANY("any", 0, KeyPurposeId.anyExtendedKeyUsage),
    SERVER_AUTH("server auth", 0, KeyPurposeId.id_kp_serverAuth),
    CLIENT_AUTH("client auth", 0, KeyPurposeId.id_kp_clientAuth),
    CODE_SIGNING("code signing", 0, KeyPurposeId.id_kp_codeSigning),
    EMAIL_PROTECTION("email protection", 0, KeyPurposeId.id_kp_emailProtection),
    SMIME("s/mime", 0, KeyPurposeId.id_kp_emailProtection),
    IPSEC_END_SYSTEM("ipsec end system", 0, KeyPurposeId.id_kp_ipsecEndSystem),
    IPSEC_TUNNEL("ipsec tunnel", 0, KeyPurposeId.id_kp_ipsecTunnel),
    IPSEC_USER("ipsec user", 0, KeyPurposeId.id_kp_ipsecUser),
    TIMESTAMPING("timestamping", 0, KeyPurposeId.id_kp_timeStamping),
    OCSP_SIGNING("ocsp signing", 0, KeyPurposeId.id_kp_OCSPSigning),
    // Go's x509.ExtKeyUsageMicrosoftServerGatedCrypto / NetscapeServerGatedCrypto OIDs.
    MICROSOFT_SGC("microsoft sgc", 0, KeyPurposeId.getInstance(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.10.3.3"))),
    NETSCAPE_SGC("netscape sgc", 0, KeyPurposeId.getInstance(new ASN1ObjectIdentifier("2.16.840.1.113730.4.1")));

    private final String kubernetesName;
    private final int keyUsageBit;
    private final KeyPurposeId extendedKeyUsage;

    CertificateUsage(String kubernetesName, int keyUsageBit, KeyPurposeId extendedKeyUsage) {
        this.kubernetesName = kubernetesName;
        this.keyUsageBit = keyUsageBit;
        this.extendedKeyUsage = extendedKeyUsage;
    }

    /** The string used in {@code CertificateSigningRequest.spec.usages}, e.g. {@code "client auth"}. */
    public String kubernetesName() {
        return kubernetesName;
    }

    /** The usage with this {@code spec.usages} string; empty for strings the signer does not recognize. */
    public static Optional<CertificateUsage> fromKubernetesName(String name) {
        return Arrays.stream(values())
                .filter(u -> u.kubernetesName.equals(name))
                .findFirst();
    }

    /** The dotted OID of the extended key usage, or empty for a key usage bit. */
    public Optional<String> extendedKeyUsageOid() {
        return Optional.ofNullable(extendedKeyUsage).map(p -> p.toOID().getId());
    }

    int keyUsageBit() {
        return keyUsageBit;
    }

    KeyPurposeId extendedKeyUsage() {
        return extendedKeyUsage;
    }
}
