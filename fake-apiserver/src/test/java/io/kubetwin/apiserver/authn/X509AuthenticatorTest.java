package io.kubetwin.apiserver.authn;

import static io.kubetwin.apiserver.authn.TestCerts.NOW;
import static io.kubetwin.apiserver.authn.TestCerts.UID_OID;
import static io.kubetwin.apiserver.authn.TestCerts.cert;
import static io.kubetwin.apiserver.authn.TestCerts.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kubetwin.apiserver.authn.TestCerts.Issued;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.X509Authenticator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class X509AuthenticatorTest {
    private static final byte[] ROOT_SKID = {0x0a, 0x0b, 0x0c};
    private static final byte[] OTHER_SKID = {0x1a, 0x1b};
    private static final Issued ROOT =
            cert().cn("kubernetes").ca(true).subjectKeyId(ROOT_SKID).build();
    /** Same name as ROOT, different key: the classic "two clusters both called kubernetes" mistake. */
    private static final Issued IMPOSTOR =
            cert().cn("kubernetes").ca(true).subjectKeyId(OTHER_SKID).build();

    private static final Issued UNRELATED =
            cert().cn("other-ca").ca(true).subjectKeyId(OTHER_SKID).build();
    private static final Issued RSA_ROOT = cert().cn("rsa-ca")
            .ca(true)
            .keys(TestCerts.rsa())
            .subjectKeyId(ROOT_SKID)
            .build();
    private static final Issued RSA_IMPOSTOR = cert().cn("rsa-ca")
            .ca(true)
            .keys(TestCerts.rsa())
            .subjectKeyId(OTHER_SKID)
            .build();
    private static final Issued INTERMEDIATE = cert().cn("intermediate")
            .ca(true)
            .issuer(ROOT)
            .subjectKeyId(new byte[] {0x22})
            .build();

    private static X509Authenticator authenticator(List<X509Certificate> roots) {
        return new X509Authenticator(() -> roots, Clock.fixed(NOW, ZoneOffset.UTC), true);
    }

    private static String failure(X509Certificate leaf, String skid, String akid, String reason) {
        return "verifying certificate SN=" + leaf.getSerialNumber() + ", SKID=" + skid + ", AKID=" + akid + " failed: "
                + reason;
    }

    static Stream<Arguments> failures() {
        Issued expired = cert().cn("alice")
                .issuer(ROOT)
                .serial(4242)
                .eku(KeyPurposeId.id_kp_clientAuth)
                .validity(Instant.parse("2029-01-01T00:00:00Z"), Instant.parse("2030-05-31T23:59:59Z"))
                .build();
        Issued notYet = cert().cn("alice")
                .issuer(ROOT)
                .eku(KeyPurposeId.id_kp_clientAuth)
                .validity(Instant.parse("2030-06-02T00:00:00Z"), Instant.parse("2031-01-01T00:00:00Z"))
                .build();
        Issued serverOnly = cert().cn("alice")
                .issuer(ROOT)
                .eku(KeyPurposeId.id_kp_serverAuth)
                .build();
        Issued fromUnrelated = client(UNRELATED, "alice");
        Issued fromImpostor = client(IMPOSTOR, "alice");
        Issued fromRsaImpostor = client(RSA_IMPOSTOR, "alice");
        Issued fromIntermediate = client(INTERMEDIATE, "alice");
        Issued notCa = cert().cn("not-a-ca")
                .issuer(ROOT)
                .subjectKeyId(new byte[] {0x33})
                .build();
        Issued fromNotCa = client(notCa, "alice");
        Issued expiredCa = cert().cn("old-ca")
                .ca(true)
                .subjectKeyId(new byte[] {0x44})
                .validity(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2021-01-01T00:00:00Z"))
                .build();
        Issued fromExpiredCa = client(expiredCa, "alice");
        Issued pathLenZeroRoot = cert().cn("strict-root")
                .ca(true)
                .pathLen(0)
                .subjectKeyId(new byte[] {0x55})
                .build();
        Issued strictIntermediate = cert().cn("strict-intermediate")
                .ca(true)
                .issuer(pathLenZeroRoot)
                .subjectKeyId(new byte[] {0x56})
                .build();
        Issued fromStrict = client(strictIntermediate, "alice");
        Issued serverOnlyIntermediate = cert().cn("server-intermediate")
                .ca(true)
                .issuer(ROOT)
                .eku(KeyPurposeId.id_kp_serverAuth)
                .subjectKeyId(new byte[] {0x66})
                .build();
        Issued fromServerOnlyIntermediate = client(serverOnlyIntermediate, "alice");
        Issued keyUsageNoCertSign = cert().cn("ku-ca")
                .ca(true)
                .keyUsage(KeyUsage.digitalSignature)
                .subjectKeyId(new byte[] {0x77})
                .build();
        Issued fromKeyUsageNoCertSign = client(keyUsageNoCertSign, "alice");
        return Stream.of(
                Arguments.of(
                        "expired leaf",
                        List.of(expired.cert()),
                        List.of(ROOT.cert()),
                        failure(
                                expired.cert(),
                                "",
                                "0A:0B:0C",
                                "x509: certificate has expired or is not yet valid: "
                                        + "current time 2030-06-01T00:00:00Z is after 2030-05-31T23:59:59Z")),
                Arguments.of(
                        "not yet valid leaf",
                        List.of(notYet.cert()),
                        List.of(ROOT.cert()),
                        failure(
                                notYet.cert(),
                                "",
                                "0A:0B:0C",
                                "x509: certificate has expired or is not yet valid: "
                                        + "current time 2030-06-01T00:00:00Z is before 2030-06-02T00:00:00Z")),
                Arguments.of(
                        "unknown CA",
                        List.of(fromUnrelated.cert()),
                        List.of(ROOT.cert()),
                        failure(fromUnrelated.cert(), "", "1A:1B", "x509: certificate signed by unknown authority")),
                Arguments.of(
                        "same-named CA with another EC key",
                        List.of(fromImpostor.cert()),
                        List.of(ROOT.cert()),
                        failure(
                                fromImpostor.cert(),
                                "",
                                "1A:1B",
                                "x509: certificate signed by unknown authority "
                                        + "(possibly because of \"x509: ECDSA verification failure\" while trying to verify "
                                        + "candidate authority certificate \"kubernetes\")")),
                Arguments.of(
                        "same-named CA with another RSA key",
                        List.of(fromRsaImpostor.cert()),
                        List.of(RSA_ROOT.cert()),
                        failure(
                                fromRsaImpostor.cert(),
                                "",
                                "1A:1B",
                                "x509: certificate signed by unknown authority "
                                        + "(possibly because of \"crypto/rsa: verification error\" while trying to verify "
                                        + "candidate authority certificate \"rsa-ca\")")),
                Arguments.of(
                        "intermediate not presented",
                        List.of(fromIntermediate.cert()),
                        List.of(ROOT.cert()),
                        failure(fromIntermediate.cert(), "", "22", "x509: certificate signed by unknown authority")),
                Arguments.of(
                        "server-auth-only leaf",
                        List.of(serverOnly.cert()),
                        List.of(ROOT.cert()),
                        failure(
                                serverOnly.cert(),
                                "",
                                "0A:0B:0C",
                                "x509: certificate specifies an incompatible key usage")),
                Arguments.of(
                        "server-auth-only intermediate",
                        List.of(fromServerOnlyIntermediate.cert(), serverOnlyIntermediate.cert()),
                        List.of(ROOT.cert()),
                        failure(
                                fromServerOnlyIntermediate.cert(),
                                "",
                                "66",
                                "x509: certificate specifies an incompatible key usage")),
                Arguments.of(
                        "issuer is not a CA",
                        List.of(fromNotCa.cert(), notCa.cert()),
                        List.of(ROOT.cert()),
                        failure(
                                fromNotCa.cert(),
                                "",
                                "33",
                                "x509: certificate signed by unknown authority (possibly "
                                        + "because of \"x509: invalid signature: parent certificate cannot sign this kind of "
                                        + "certificate\" while trying to verify candidate authority certificate \"not-a-ca\")")),
                Arguments.of(
                        "CA key usage without certSign",
                        List.of(fromKeyUsageNoCertSign.cert()),
                        List.of(keyUsageNoCertSign.cert()),
                        failure(
                                fromKeyUsageNoCertSign.cert(),
                                "",
                                "77",
                                "x509: certificate signed by unknown authority "
                                        + "(possibly because of \"x509: invalid signature: parent certificate cannot sign this kind "
                                        + "of certificate\" while trying to verify candidate authority certificate \"ku-ca\")")),
                Arguments.of(
                        "expired CA",
                        List.of(fromExpiredCa.cert()),
                        List.of(expiredCa.cert()),
                        failure(
                                fromExpiredCa.cert(),
                                "",
                                "44",
                                "x509: certificate has expired or is not yet valid: "
                                        + "current time 2030-06-01T00:00:00Z is after 2021-01-01T00:00:00Z")),
                Arguments.of(
                        "path length exceeded",
                        List.of(fromStrict.cert(), strictIntermediate.cert()),
                        List.of(pathLenZeroRoot.cert()),
                        failure(
                                fromStrict.cert(),
                                "",
                                "56",
                                "x509: too many intermediates for path length constraint")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void rejectsWithGoErrors(String name, List<X509Certificate> peers, List<X509Certificate> roots, String expected) {
        AuthenticationResult result = authenticator(roots).authenticate(peers);
        assertEquals(new AuthenticationResult.Failed(expected), result);
    }

    @Test
    void identifierPrintsDecimalSerialAndColonHexKeyIds() {
        Issued leaf = cert().cn("alice")
                .issuer(UNRELATED)
                .serial(1234567890123L)
                .subjectKeyId(new byte[] {(byte) 0xde, (byte) 0xad, 0x01})
                .eku(KeyPurposeId.id_kp_clientAuth)
                .build();
        AuthenticationResult result = authenticator(List.of(ROOT.cert())).authenticate(List.of(leaf.cert()));
        assertEquals(
                new AuthenticationResult.Failed("verifying certificate SN=1234567890123, SKID=DE:AD:01, AKID=1A:1B "
                        + "failed: x509: certificate signed by unknown authority"),
                result);
    }

    static Stream<Arguments> accepted() {
        Issued direct = client(ROOT, "alice", "dev", "ops");
        Issued viaIntermediate = client(INTERMEDIATE, "bob", "team");
        Issued noEku = cert().cn("carol").issuer(ROOT).build();
        Issued anyEku = cert().cn("dave")
                .issuer(ROOT)
                .eku(KeyPurposeId.anyExtendedKeyUsage)
                .build();
        Issued selfSignedListed =
                cert().cn("eve").eku(KeyPurposeId.id_kp_clientAuth).build();
        Issued v1Root = cert().cn("v1-root").v1().build();
        Issued fromV1Root = client(v1Root, "frank");
        Issued multiAndUid = cert().cn("first")
                .cn("grace")
                .o("a")
                .o("b")
                .attribute(UID_OID, new DERUTF8String("uid-7"))
                .issuer(ROOT)
                .eku(KeyPurposeId.id_kp_clientAuth)
                .build();
        return Stream.of(
                Arguments.of(
                        "leaf signed by the client CA",
                        List.of(direct.cert()),
                        List.of(ROOT.cert()),
                        "alice",
                        "",
                        List.of("dev", "ops")),
                Arguments.of(
                        "intermediate from the peer chain",
                        List.of(viaIntermediate.cert(), INTERMEDIATE.cert()),
                        List.of(ROOT.cert()),
                        "bob",
                        "",
                        List.of("team")),
                Arguments.of(
                        "no extended key usage at all",
                        List.of(noEku.cert()),
                        List.of(ROOT.cert()),
                        "carol",
                        "",
                        List.of()),
                Arguments.of(
                        "any extended key usage", List.of(anyEku.cert()), List.of(ROOT.cert()), "dave", "", List.of()),
                Arguments.of(
                        "leaf listed in the CA bundle itself",
                        List.of(selfSignedListed.cert()),
                        List.of(selfSignedListed.cert()),
                        "eve",
                        "",
                        List.of()),
                Arguments.of(
                        "version 1 root", List.of(fromV1Root.cert()), List.of(v1Root.cert()), "frank", "", List.of()),
                Arguments.of(
                        "last CN wins, every O, UID attribute",
                        List.of(multiAndUid.cert()),
                        List.of(ROOT.cert()),
                        "grace",
                        "uid-7",
                        List.of("a", "b")),
                Arguments.of(
                        "right CA among several",
                        List.of(direct.cert()),
                        List.of(UNRELATED.cert(), IMPOSTOR.cert(), ROOT.cert()),
                        "alice",
                        "",
                        List.of("dev", "ops")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void authenticatesCnOrganizationsUidAndCredentialId(
            String name,
            List<X509Certificate> peers,
            List<X509Certificate> roots,
            String user,
            String uid,
            List<String> groups)
            throws Exception {
        AuthenticationResult result = authenticator(roots).authenticate(peers);
        String fingerprint = HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256").digest(peers.get(0).getEncoded()));
        assertEquals(
                new AuthenticationResult.Authenticated(new UserInfo(
                        user,
                        uid,
                        groups,
                        Map.of("authentication.kubernetes.io/credential-id", List.of("X509SHA256=" + fingerprint)))),
                result);
    }

    static Stream<Arguments> uidErrors() {
        return Stream.of(
                Arguments.of(
                        cert().cn("u")
                                .attribute(UID_OID, new DERUTF8String("a"))
                                .attribute(UID_OID, new DERUTF8String("b")),
                        "expected 1 UID, but found multiple: [a b]"),
                Arguments.of(cert().cn("u").attribute(UID_OID, new DERUTF8String("")), "UID cannot be an empty string"),
                Arguments.of(
                        cert().cn("u").attribute(UID_OID, new ASN1Integer(7)), "unable to parse UID into a string"));
    }

    @ParameterizedTest
    @MethodSource("uidErrors")
    void rejectsBadUidAttributes(TestCerts.Builder builder, String expected) {
        Issued leaf = builder.issuer(ROOT).eku(KeyPurposeId.id_kp_clientAuth).build();
        assertEquals(
                new AuthenticationResult.Failed(expected),
                authenticator(List.of(ROOT.cert())).authenticate(List.of(leaf.cert())));
    }

    @Test
    void uidIgnoredWhenGateOff() {
        Issued leaf = cert().cn("u")
                .attribute(UID_OID, new ASN1Integer(7))
                .issuer(ROOT)
                .build();
        var off = new X509Authenticator(() -> List.of(ROOT.cert()), Clock.fixed(NOW, ZoneOffset.UTC), false);
        AuthenticationResult.Authenticated ok =
                assertInstanceOf(AuthenticationResult.Authenticated.class, off.authenticate(List.of(leaf.cert())));
        assertEquals("", ok.user().uid());
    }

    @Test
    void notMineWithoutCertificateCaBundleOrCommonName() {
        Issued noCn =
                cert().o("dev").issuer(ROOT).eku(KeyPurposeId.id_kp_clientAuth).build();
        Issued alice = client(ROOT, "alice");
        assertEquals(
                AuthenticationResult.NOT_MINE,
                authenticator(List.of(ROOT.cert())).authenticate(List.of()));
        assertEquals(AuthenticationResult.NOT_MINE, authenticator(List.of()).authenticate(List.of(alice.cert())));
        assertEquals(
                AuthenticationResult.NOT_MINE,
                authenticator(List.of(ROOT.cert())).authenticate(List.of(noCn.cert())));
    }

    @Test
    void readsTheBundleOnEveryRequest() {
        var bundle = new AtomicReference<List<X509Certificate>>(List.of(UNRELATED.cert()));
        var auth = new X509Authenticator(bundle::get, Clock.fixed(NOW, ZoneOffset.UTC), true);
        Issued alice = client(ROOT, "alice");
        assertInstanceOf(AuthenticationResult.Failed.class, auth.authenticate(List.of(alice.cert())));
        bundle.set(List.of(ROOT.cert()));
        assertInstanceOf(AuthenticationResult.Authenticated.class, auth.authenticate(List.of(alice.cert())));
    }

    /**
     * Results are kept per chain (X509ResultCache) only while they cannot change: a repeated request gets the same
     * answer, success or 401, and the clock passing the leaf's expiry or the bundle changing is still seen.
     */
    @Test
    void keptResultsFollowTheClockAndTheBundle() {
        Issued shortLived = cert().cn("alice")
                .issuer(ROOT)
                .eku(KeyPurposeId.id_kp_clientAuth)
                .validity(Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-06-01T00:00:10Z"))
                .build();
        var now = new AtomicReference<>(NOW);
        var bundle = new AtomicReference<List<X509Certificate>>(List.of(ROOT.cert()));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        var auth = new X509Authenticator(bundle::get, clock, true);
        List<X509Certificate> peers = List.of(shortLived.cert());
        var first = auth.authenticate(peers);
        assertInstanceOf(AuthenticationResult.Authenticated.class, first);
        assertEquals(first, auth.authenticate(List.of(shortLived.cert())));

        now.set(NOW.plusSeconds(11));
        assertEquals(
                new AuthenticationResult.Failed(failure(
                        shortLived.cert(),
                        "",
                        "0A:0B:0C",
                        "x509: certificate has expired or is not yet valid: current time 2030-06-01T00:00:11Z is "
                                + "after 2030-06-01T00:00:10Z")),
                auth.authenticate(peers));

        now.set(NOW);
        Issued untrusted = client(UNRELATED, "mallory");
        var refused = auth.authenticate(List.of(untrusted.cert()));
        assertInstanceOf(AuthenticationResult.Failed.class, refused);
        assertEquals(refused, auth.authenticate(List.of(untrusted.cert())));
        bundle.set(List.of(UNRELATED.cert()));
        assertInstanceOf(AuthenticationResult.Authenticated.class, auth.authenticate(List.of(untrusted.cert())));
        assertInstanceOf(AuthenticationResult.Failed.class, auth.authenticate(peers));
    }
}
