package io.kubetwin.pki;

import static io.kubetwin.pki.CertificateAuthorityTest.akid;
import static io.kubetwin.pki.CertificateAuthorityTest.assertBetween;
import static io.kubetwin.pki.CertificateAuthorityTest.skid;
import static io.kubetwin.pki.TestPki.CLIENT_AUTH;
import static io.kubetwin.pki.TestPki.SERVER_AUTH;
import static io.kubetwin.pki.TestPki.verify;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CsrSigningTest {
    private static final CertificateAuthority CA =
            CertificateAuthority.generate("kubernetes", KeyType.EC_P256, Duration.ofDays(3650));

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void keepsTheRequestedSubjectAndPublicKey(KeyType type) throws Exception {
        KeyPair keys = type.generate();
        Csr csr = Csr.create(keys, "mynewuser", "company", "system:masters");

        X509Certificate cert = CA.signCsr(csr.pem(), Duration.ofHours(24));

        // re-encoded as Go's pkix.Name does: O values in one RDN, then CN, PrintableString where possible
        assertEquals(
                "CN=mynewuser,O=company+O=system:masters",
                cert.getSubjectX500Principal().getName());
        assertArrayEquals(
                SubjectNames.goCanonical(csr.subject()).getEncoded(),
                SubjectNames.subject(cert).getEncoded());
        assertEquals("mynewuser", SubjectNames.commonName(cert));
        assertEquals(List.of("company", "system:masters"), SubjectNames.organizations(cert));
        assertEquals(keys.getPublic(), cert.getPublicKey());
        verify(cert, CA.certificate(), CLIENT_AUTH);
        assertEquals(List.of(CLIENT_AUTH), cert.getExtendedKeyUsage());
        assertEquals(type == KeyType.RSA_2048, cert.getKeyUsage()[2], "keyEncipherment only for RSA");
    }

    @Test
    void writesTheSubjectInGoOrderWhateverTheRequestOrder() {
        // openssl req -subj "/CN=mynewuser/O=company" asks CN first, in UTF8String; the reference issues O first
        X500Name requested = new X500NameBuilder()
                .addRDN(BCStyle.CN, new DERUTF8String("mynewuser"))
                .addRDN(BCStyle.O, new DERUTF8String("company"))
                .addRDN(BCStyle.CN, new DERUTF8String("last_cn"))
                .addRDN(BCStyle.E, new DERIA5String("a@b.c"))
                .build();
        X500Name go = SubjectNames.goCanonical(requested);
        assertEquals("O=company,CN=last_cn", go.toString());
        RDN[] rdns = go.getRDNs();
        assertTrue(rdns[0].getFirst().getValue() instanceof DERPrintableString);
        assertTrue(rdns[1].getFirst().getValue() instanceof DERUTF8String, "'_' is not printable");
    }

    @Test
    void signsDerAndCopiesTheRequestedSans() throws Exception {
        Csr csr = Csr.create(
                KeyType.EC_P256.generate(),
                "system:node:n1",
                List.of("system:nodes"),
                List.of("n1.example"),
                List.of("10.0.0.7"));
        X509Certificate cert = CA.signCsr(csr.der(), EnumSet.of(CertificateUsage.SERVER_AUTH), Duration.ofHours(1));
        assertEquals("[[2, n1.example], [7, 10.0.0.7]]", String.valueOf(cert.getSubjectAlternativeNames()));
    }

    static Stream<Arguments> usageTables() {
        return Stream.of(
                // usages, keyUsage bits set (positions), EKU OIDs in Go's order
                Arguments.of(List.of("client auth"), List.of(), List.of(CLIENT_AUTH)),
                Arguments.of(
                        List.of("client auth", "digital signature", "key encipherment"),
                        List.of(0, 2),
                        List.of(CLIENT_AUTH)),
                Arguments.of(
                        List.of("client auth", "server auth", "signing"),
                        List.of(0),
                        List.of(SERVER_AUTH, CLIENT_AUTH)),
                Arguments.of(List.of("s/mime", "email protection"), List.of(), List.of("1.3.6.1.5.5.7.3.4")),
                Arguments.of(List.of("cert sign", "crl sign"), List.of(5, 6), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageTables")
    void grantsExactlyTheUsagesAsked(List<String> usages, List<Integer> keyUsageBits, List<String> ekus)
            throws Exception {
        Set<CertificateUsage> parsed = usages.stream()
                .map(u -> CertificateUsage.fromKubernetesName(u).orElseThrow())
                .collect(Collectors.toSet());
        X509Certificate cert =
                CA.signCsr(Csr.create(KeyType.EC_P256.generate(), "u").pem(), parsed, Duration.ofHours(1));

        boolean[] bits = cert.getKeyUsage();
        if (keyUsageBits.isEmpty()) {
            assertNull(bits, "no keyUsage extension when no key usage bit was asked, as in Go");
        } else {
            for (int i = 0; i < 9; i++) {
                assertEquals(keyUsageBits.contains(i), bits[i], "keyUsage bit " + i);
            }
        }
        assertEquals(ekus.isEmpty() ? null : ekus, cert.getExtendedKeyUsage());
        assertEquals(-1, cert.getBasicConstraints(), "never a CA");
    }

    @Test
    void kubernetesUsageNamesRoundTrip() {
        for (CertificateUsage u : CertificateUsage.values()) {
            assertEquals(
                    u, CertificateUsage.fromKubernetesName(u.kubernetesName()).orElseThrow());
        }
        assertTrue(CertificateUsage.fromKubernetesName("Client Auth").isEmpty());
        assertEquals(
                "1.3.6.1.5.5.7.3.2",
                CertificateUsage.CLIENT_AUTH.extendedKeyUsageOid().orElseThrow());
    }

    static Stream<Arguments> ttls() {
        return Stream.of(
                Arguments.of(Duration.ofMinutes(10), Duration.ofMinutes(10)), // short: notAfter not backdated
                Arguments.of(Duration.ofHours(7), Duration.ofHours(7)),
                Arguments.of(Duration.ofHours(8), Duration.ofHours(8).minusMinutes(5)),
                Arguments.of(Duration.ofDays(365), Duration.ofDays(365).minusMinutes(5)));
    }

    @ParameterizedTest(name = "ttl {0}")
    @MethodSource("ttls")
    void appliesTheSignerBackdatePolicy(Duration ttl, Duration expectedFromNow) {
        Instant before = Instant.now();
        X509Certificate cert =
                CA.signCsr(Csr.create(KeyType.EC_P256.generate(), "u").pem(), ttl);
        Instant after = Instant.now();
        assertBetween(
                cert.getNotBefore().toInstant(),
                before.minus(Duration.ofMinutes(5)),
                after.minus(Duration.ofMinutes(5)));
        assertBetween(cert.getNotAfter().toInstant(), before.plus(expectedFromNow), after.plus(expectedFromNow));
    }

    @Test
    void neverOutlivesTheCa() {
        Instant caEnd = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        CertificateAuthority shortCa = CertificateAuthority.of(CA.issue(CertificateSpec.ca("short")
                .notAfter(caEnd)
                .keyType(KeyType.EC_P256)
                .build()));
        X509Certificate cert =
                shortCa.signCsr(Csr.create(KeyType.EC_P256.generate(), "u").pem(), Duration.ofDays(30));
        assertEquals(caEnd, cert.getNotAfter().toInstant());
    }

    @Test
    void refusesToSignWithAnExpiredCa() {
        Instant longAgo = Instant.parse("2020-01-02T03:04:05Z");
        CertificateAuthority expired = CertificateAuthority.of(CA.issue(CertificateSpec.ca("old")
                .notBefore(longAgo.minus(Duration.ofDays(1)))
                .notAfter(longAgo)
                .keyType(KeyType.EC_P256)
                .build()));
        PkiException e = assertThrows(
                PkiException.class,
                () -> expired.signCsr(
                        Csr.create(KeyType.EC_P256.generate(), "u").pem(), Duration.ofHours(1)));
        assertEquals("the signer has expired: NotAfter=2020-01-02 03:04:05 +0000 UTC", e.getMessage());

        Instant justNow = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        CertificateAuthority justExpired = CertificateAuthority.of(CA.issue(CertificateSpec.ca("old")
                .notBefore(longAgo)
                .notAfter(justNow)
                .keyType(KeyType.EC_P256)
                .build()));
        PkiException e2 = assertThrows(
                PkiException.class,
                () -> justExpired.signCsr(
                        Csr.create(KeyType.EC_P256.generate(), "u").pem(), Duration.ofHours(1)));
        assertTrue(
                e2.getMessage().startsWith("refusing to sign a certificate that expired in the past: NotAfter="),
                e2.getMessage());
    }

    @Test
    void rejectsARequestWhoseSignatureDoesNotVerify() {
        byte[] der = Csr.create(KeyType.EC_P256.generate(), "mallory").der();
        der[der.length - 5] ^= 0x01; // inside the signature value
        PkiException e = assertThrows(PkiException.class, () -> CA.signCsr(der, Duration.ofHours(1)));
        assertTrue(e.getMessage().startsWith("unable to verify certificate request signature"), e.getMessage());
    }

    @Test
    void hasAnAuthorityKeyIdentifierButNoSubjectKeyIdentifierLikeGo() {
        X509Certificate cert =
                CA.signCsr(Csr.create(KeyType.EC_P256.generate(), "u").pem(), Duration.ofHours(1));
        assertArrayEquals(skid(CA.certificate()), akid(cert));
        assertNull(cert.getExtensionValue(Extension.subjectKeyIdentifier.getId()));
        assertTrue(cert.getSerialNumber().signum() > 0 && cert.getSerialNumber().bitLength() <= 128);
    }

    @Test
    void csrReadsBackWhatWasRequested() {
        KeyPair keys = KeyType.RSA_2048.generate();
        Csr csr = Csr.create(keys, "alice", List.of("dev"), List.of("a.example"), List.of("::1", "192.168.0.1"));
        Csr parsed = Pem.parseCsr("garbage before\n" + csr.pem());
        assertEquals(csr, parsed);
        assertEquals("alice", parsed.commonName());
        assertEquals(List.of("dev"), parsed.organizations());
        assertEquals(List.of("a.example"), parsed.dnsNames());
        assertEquals(List.of("::1", "192.168.0.1"), parsed.ipAddresses());
        assertEquals(keys.getPublic(), parsed.publicKey());
        assertTrue(parsed.signatureValid());
        assertTrue(Arrays.equals(csr.der(), parsed.der()));
    }
}
