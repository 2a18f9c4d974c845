package io.kubetwin.pki;

import static io.kubetwin.pki.TestPki.CLIENT_AUTH;
import static io.kubetwin.pki.TestPki.SERVER_AUTH;
import static io.kubetwin.pki.TestPki.verify;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CertificateAuthorityTest {
    // keyUsage bit positions in X509Certificate.getKeyUsage()
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    private static final CertificateAuthority RSA_CA =
            CertificateAuthority.generate("kubernetes", KeyType.RSA_2048, Duration.ofDays(3650));
    private static final CertificateAuthority EC_CA =
            CertificateAuthority.generate("kubernetes", KeyType.EC_P256, Duration.ofDays(3650));

    static CertificateAuthority ca(KeyType type) {
        return type == KeyType.RSA_2048 ? RSA_CA : EC_CA;
    }

    static Stream<Arguments> caAndLeafTypes() {
        return Stream.of(KeyType.values())
                .flatMap(ca -> Stream.of(KeyType.values()).map(leaf -> Arguments.of(ca, leaf)));
    }

    @ParameterizedTest(name = "CA {0}, leaf {1}")
    @MethodSource("caAndLeafTypes")
    void clientCertificateVerifiesAgainstItsCaForClientAuth(KeyType caType, KeyType leafType) throws Exception {
        CertificateAuthority ca = ca(caType);
        Credential alice = ca.issue(CertificateSpec.client("alice")
                .organizations("dev", "ops")
                .keyType(leafType)
                .build());
        X509Certificate cert = alice.certificate();

        verify(cert, ca.certificate(), CLIENT_AUTH);
        assertEquals("alice", SubjectNames.commonName(cert));
        assertEquals(List.of("dev", "ops"), SubjectNames.organizations(cert));
        assertEquals("O=dev,O=ops,CN=alice", SubjectNames.subject(cert).toString());
        assertEquals(List.of(CLIENT_AUTH), cert.getExtendedKeyUsage());
        assertEquals(-1, cert.getBasicConstraints());
        assertTrue(cert.getKeyUsage()[DIGITAL_SIGNATURE]);
        assertEquals(leafType == KeyType.RSA_2048, cert.getKeyUsage()[KEY_ENCIPHERMENT]);
        assertFalse(cert.getKeyUsage()[KEY_CERT_SIGN]);
        assertEquals(caType == KeyType.RSA_2048 ? "SHA256withRSA" : "SHA256withECDSA", cert.getSigAlgName());
        assertEquals(leafType == KeyType.RSA_2048, cert.getPublicKey() instanceof RSAPublicKey);
        assertEquals(leafType == KeyType.EC_P256, cert.getPublicKey() instanceof ECPublicKey);
        assertTrue(cert.getCriticalExtensionOIDs().containsAll(List.of("2.5.29.15", "2.5.29.19")));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void clientCertificateIsNotAServerCertificate(KeyType type) {
        Credential alice = ca(type).issue(CertificateSpec.client("alice").build());
        assertThrows(
                CertPathValidatorException.class,
                () -> verify(alice.certificate(), ca(type).certificate(), SERVER_AUTH));
    }

    @Test
    void clientSubjectIsOrganizationsThenCommonNameThenUid() throws Exception {
        X509Certificate cert = EC_CA.issue(CertificateSpec.client("mynewuser")
                        .organizations("company", "dev")
                        .keyType(KeyType.EC_P256)
                        .build())
                .certificate();
        assertEquals(
                "CN=mynewuser,O=dev,O=company", cert.getSubjectX500Principal().getName());
        assertEquals(List.of(CLIENT_AUTH), cert.getExtendedKeyUsage());
        X509Certificate withUid = EC_CA.issue(CertificateSpec.client("mynewuser")
                        .organizations("company")
                        .uid("1001")
                        .keyType(KeyType.EC_P256)
                        .build())
                .certificate();
        assertEquals(
                "1.3.6.1.4.1.57683.2=#0c0431303031,CN=mynewuser,O=company",
                withUid.getSubjectX500Principal().getName());
    }

    @Test
    void certificateFromAnotherCaDoesNotVerify() {
        Credential alice = RSA_CA.issue(CertificateSpec.client("alice").build());
        assertThrows(
                CertPathValidatorException.class, () -> verify(alice.certificate(), EC_CA.certificate(), CLIENT_AUTH));
    }

    @Test
    void servingCertificateCarriesSansAndServerAuth() throws Exception {
        Credential serving =
                RSA_CA.issueServing(CertificateAuthority.APISERVER_DNS_NAMES, List.of("127.0.0.1", "::1", "10.96.0.1"));
        X509Certificate cert = serving.certificate();

        verify(cert, RSA_CA.certificate(), SERVER_AUTH);
        assertEquals("CN=kube-apiserver", SubjectNames.subject(cert).toString());
        assertEquals(List.of(SERVER_AUTH), cert.getExtendedKeyUsage());
        assertEquals(
                List.of(
                        List.of(2, "kubernetes"),
                        List.of(2, "kubernetes.default"),
                        List.of(2, "kubernetes.default.svc"),
                        List.of(2, "kubernetes.default.svc.cluster.local"),
                        List.of(2, "localhost"),
                        List.of(7, "127.0.0.1"),
                        List.of(7, "0:0:0:0:0:0:0:1"),
                        List.of(7, "10.96.0.1")),
                cert.getSubjectAlternativeNames().stream().map(List::copyOf).toList());
        assertFalse(
                cert.getCriticalExtensionOIDs().contains("2.5.29.17"), "SAN is critical only with an empty subject");
    }

    @Test
    void emptySubjectMakesTheSanCritical() {
        X509Certificate cert = RSA_CA.issue(
                        CertificateSpec.server("").dnsNames("example").build())
                .certificate();
        assertEquals("", SubjectNames.subject(cert).toString());
        assertTrue(cert.getCriticalExtensionOIDs().contains("2.5.29.17"));
    }

    @Test
    void clientAndServerTogether() throws Exception {
        X509Certificate cert = RSA_CA.issue(
                        CertificateSpec.client("node").server(true).build())
                .certificate();
        assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), cert.getExtendedKeyUsage());
        verify(cert, RSA_CA.certificate(), CLIENT_AUTH);
        verify(cert, RSA_CA.certificate(), SERVER_AUTH);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void generatedCaIsShapedLikeKubeadms(KeyType type) throws Exception {
        X509Certificate cert = ca(type).certificate();
        assertEquals("CN=kubernetes", SubjectNames.subject(cert).toString());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(Integer.MAX_VALUE, cert.getBasicConstraints());
        boolean[] usage = cert.getKeyUsage();
        assertTrue(usage[KEY_CERT_SIGN] && usage[CRL_SIGN] && usage[DIGITAL_SIGNATURE]);
        assertNull(cert.getExtendedKeyUsage());
        assertArrayEquals(expectedKeyId(cert), skid(cert));
        assertNull(cert.getExtensionValue(Extension.authorityKeyIdentifier.getId()), "Go omits AKID when self-signed");
        cert.verify(cert.getPublicKey());
        assertTrue(cert.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(3649))));
    }

    @Test
    void leafHasSubjectAndAuthorityKeyIdentifiers() {
        X509Certificate cert =
                EC_CA.issue(CertificateSpec.client("alice").build()).certificate();
        assertArrayEquals(expectedKeyId(cert), skid(cert));
        assertArrayEquals(skid(EC_CA.certificate()), akid(cert));
    }

    @Test
    void serialsAreRandomPositiveAndAtMost128Bits() {
        X509Certificate a = RSA_CA.issue(
                        CertificateSpec.client("a").keyType(KeyType.EC_P256).build())
                .certificate();
        X509Certificate b = RSA_CA.issue(
                        CertificateSpec.client("a").keyType(KeyType.EC_P256).build())
                .certificate();
        assertTrue(a.getSerialNumber().signum() > 0);
        assertTrue(a.getSerialNumber().bitLength() <= 128);
        assertNotEquals(a.getSerialNumber(), b.getSerialNumber());
    }

    @Test
    void defaultValidityIsOneYearWithFiveMinutesOfSkew() {
        Instant before = Instant.now();
        X509Certificate cert = EC_CA.issue(
                        CertificateSpec.client("alice").keyType(KeyType.EC_P256).build())
                .certificate();
        Instant after = Instant.now();
        assertBetween(
                cert.getNotBefore().toInstant(),
                before.minus(Duration.ofMinutes(5)),
                after.minus(Duration.ofMinutes(5)));
        assertBetween(
                cert.getNotAfter().toInstant(), before.plus(Duration.ofDays(365)), after.plus(Duration.ofDays(365)));
    }

    static Stream<Arguments> validityWindows() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Stream.of(
                Arguments.of("expired", now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))),
                Arguments.of("not yet valid", now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2))),
                Arguments.of("valid", now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validityWindows")
    void datesAreExactlyTheOnesAskedFor(String name, Instant notBefore, Instant notAfter) throws Exception {
        X509Certificate cert = RSA_CA.issue(CertificateSpec.client("alice")
                        .notBefore(notBefore)
                        .notAfter(notAfter)
                        .keyType(KeyType.EC_P256)
                        .build())
                .certificate();
        assertEquals(notBefore, cert.getNotBefore().toInstant());
        assertEquals(notAfter, cert.getNotAfter().toInstant());
        boolean validNow = !Instant.now().isBefore(notBefore) && !Instant.now().isAfter(notAfter);
        if (validNow) {
            verify(cert, RSA_CA.certificate(), CLIENT_AUTH);
        } else {
            assertThrows(CertPathValidatorException.class, () -> verify(cert, RSA_CA.certificate(), CLIENT_AUTH));
            // ...yet the chain itself is fine at a time inside the window.
            verify(cert, List.of(), RSA_CA.certificate(), CLIENT_AUTH, notBefore.plusSeconds(1));
        }
    }

    @Test
    void validForCountsFromAnExplicitNotBefore() {
        Instant start = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        CertificateSpec spec = CertificateSpec.client("x")
                .notBefore(start)
                .validFor(Duration.ofHours(2))
                .build();
        assertEquals(start.plus(Duration.ofHours(2)), spec.notAfter());
    }

    @Test
    void specRejectsInvertedDatesAndBadAddresses() {
        Instant now = Instant.now();
        IllegalArgumentException dates = assertThrows(
                IllegalArgumentException.class,
                () -> CertificateSpec.client("x")
                        .notBefore(now)
                        .notAfter(now.minusSeconds(1))
                        .build());
        assertTrue(dates.getMessage().startsWith("notAfter "), dates.getMessage());
        IllegalArgumentException ip = assertThrows(
                IllegalArgumentException.class,
                () -> CertificateSpec.server("x").ipAddresses("example.com").build());
        assertEquals("not an IP address: \"example.com\"", ip.getMessage());
    }

    @Test
    void intermediateCaIssuesCertificatesThatChainToTheRoot() throws Exception {
        CertificateAuthority intermediate = CertificateAuthority.of(RSA_CA.issue(
                CertificateSpec.ca("front-proxy-ca").keyType(KeyType.EC_P256).build()));
        X509Certificate leaf = intermediate
                .issue(CertificateSpec.client("front-proxy-client").build())
                .certificate();
        verify(leaf, List.of(intermediate.certificate()), RSA_CA.certificate(), CLIENT_AUTH, Instant.now());
        assertEquals(Integer.MAX_VALUE, intermediate.certificate().getBasicConstraints());
    }

    @Test
    void writeThenLoadRoundTripsWithAPrivateKeyFile(@TempDir Path dir) throws Exception {
        Path crt = dir.resolve("pki/ca.crt");
        Path key = dir.resolve("pki/ca.key");
        EC_CA.writeTo(crt, key);

        CertificateAuthority loaded = CertificateAuthority.load(crt, key);
        assertEquals(EC_CA.certificate(), loaded.certificate());
        // The encodings differ (the SEC1 file carries the curve and public point); the scalar must not.
        assertEquals(((ECPrivateKey) EC_CA.privateKey()).getS(), ((ECPrivateKey) loaded.privateKey()).getS());
        assertEquals(EC_CA.certificatePem(), Files.readString(crt));
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
        verify(loaded.issue(CertificateSpec.client("bob").build()).certificate(), EC_CA.certificate(), CLIENT_AUTH);
    }

    @Test
    void refusesAKeyThatDoesNotMatchTheCertificate() {
        PkiException e = assertThrows(
                PkiException.class,
                () -> CertificateAuthority.fromPem(
                        RSA_CA.certificatePem(),
                        Pem.privateKeyPem(KeyType.RSA_2048.generate().getPrivate())));
        assertEquals("private key does not match public key in the CA certificate", e.getMessage());
        PkiException type = assertThrows(
                PkiException.class,
                () -> CertificateAuthority.fromPem(RSA_CA.certificatePem(), Pem.privateKeyPem(EC_CA.privateKey())));
        assertEquals("private key type EC does not match the CA certificate's RSA public key", type.getMessage());
    }

    @Test
    void refusesALeafCertificateAsCa() {
        Credential leaf = RSA_CA.issue(
                CertificateSpec.client("alice").keyType(KeyType.EC_P256).build());
        PkiException e = assertThrows(PkiException.class, () -> CertificateAuthority.of(leaf));
        assertEquals("certificate \"CN=alice\" is not a CA (basicConstraints CA:FALSE or absent)", e.getMessage());
    }

    static byte[] skid(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets())
                .getKeyIdentifier();
    }

    static byte[] akid(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return AuthorityKeyIdentifier.getInstance(
                        ASN1OctetString.getInstance(ext).getOctets())
                .getKeyIdentifier();
    }

    static byte[] expectedKeyId(X509Certificate cert) {
        try {
            return MessageDigest.getInstance("SHA-1")
                    .digest(SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded())
                            .getPublicKeyData()
                            .getBytes());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static void assertBetween(Instant actual, Instant low, Instant high) {
        // certificates keep whole seconds
        Instant lo = low.truncatedTo(ChronoUnit.SECONDS);
        assertTrue(!actual.isBefore(lo) && !actual.isAfter(high), actual + " not in [" + lo + ", " + high + "]");
    }
}
