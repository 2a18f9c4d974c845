package io.kubetwin.pki;

import static io.kubetwin.pki.TestPki.CLIENT_AUTH;
import static io.kubetwin.pki.TestPki.SERVER_AUTH;
import static io.kubetwin.pki.TestPki.openssl;
import static io.kubetwin.pki.TestPki.verify;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks against a real openssl binary; skipped when openssl is not installed. */
class OpensslInteropTest {
    private static final CertificateAuthority CA =
            CertificateAuthority.generate("kubernetes", KeyType.RSA_2048, Duration.ofDays(30));

    @TempDir
    Path dir;

    @BeforeAll
    static void needsOpenssl() {
        TestPki.assumeOpenssl();
    }

    static Stream<Arguments> subjects() {
        return Stream.of(
                Arguments.of("alice", List.of(), "subject=CN = alice"),
                Arguments.of("alice", List.of("dev", "ops"), "subject=O = dev, O = ops, CN = alice"),
                Arguments.of("mynewuser", List.of("company"), "subject=O = company, CN = mynewuser"),
                Arguments.of(
                        "system:node:worker-1",
                        List.of("system:nodes"),
                        "subject=O = system:nodes, CN = system:node:worker-1"),
                Arguments.of("Jane Doe", List.of("my group"), "subject=O = my group, CN = Jane Doe"),
                Arguments.of("", List.of("system:masters"), "subject=O = system:masters"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("subjects")
    void opensslPrintsTheSubjectWeWrote(String cn, List<String> orgs, String expected) throws Exception {
        Credential c = CA.issue(CertificateSpec.client(cn)
                .organizations(orgs)
                .keyType(KeyType.EC_P256)
                .build());
        Files.writeString(dir.resolve("c.crt"), c.certificatePem());
        assertEquals(
                expected,
                openssl(dir, "x509", "-in", "c.crt", "-noout", "-subject").strip());
        assertEquals(cn, SubjectNames.commonName(c.certificate()));
        assertEquals(orgs, SubjectNames.organizations(c.certificate()));
    }

    static Stream<Arguments> opensslCaKeys() {
        return Stream.of(
                Arguments.of("genrsa", List.of("genrsa", "-out", "ca.key", "2048"), "PRIVATE KEY"),
                Arguments.of(
                        "genrsa -traditional",
                        List.of("genrsa", "-traditional", "-out", "ca.key", "2048"),
                        "RSA PRIVATE KEY"),
                Arguments.of(
                        "ecparam -genkey",
                        List.of("ecparam", "-name", "prime256v1", "-genkey", "-out", "ca.key"),
                        "EC PARAMETERS"),
                Arguments.of(
                        "genpkey EC",
                        List.of("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ca.key"),
                        "PRIVATE KEY"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("opensslCaKeys")
    void caMadeByOpensslLoadsAndIssues(String name, List<String> keyCommand, String firstBlock) throws Exception {
        openssl(dir, keyCommand.toArray(String[]::new));
        assertTrue(Files.readString(dir.resolve("ca.key")).startsWith("-----BEGIN " + firstBlock + "-----"));
        openssl(
                dir,
                "req",
                "-x509",
                "-new",
                "-nodes",
                "-key",
                "ca.key",
                "-subj",
                "/CN=kubernetes",
                "-days",
                "10",
                "-out",
                "ca.crt");

        CertificateAuthority ca = CertificateAuthority.load(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        Credential alice =
                ca.issue(CertificateSpec.client("alice").organizations("dev").build());
        Credential server = ca.issueServing(List.of("localhost"), List.of("127.0.0.1"));
        alice.writeTo(dir.resolve("alice.crt"), dir.resolve("alice.key"));
        server.writeTo(dir.resolve("server.crt"), dir.resolve("server.key"));

        verify(alice.certificate(), ca.certificate(), CLIENT_AUTH);
        verify(server.certificate(), ca.certificate(), SERVER_AUTH);
        assertArrayEquals(
                CertificateAuthorityTest.skid(ca.certificate()),
                CertificateAuthorityTest.akid(alice.certificate()),
                "AKID is openssl's own SKID of the CA");
        assertEquals(
                "alice.crt: OK",
                openssl(dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "alice.crt")
                        .strip());
        assertEquals(
                "server.crt: OK",
                openssl(dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslserver", "server.crt")
                        .strip());
    }

    @Test
    void opensslSignsWithOurCaAndWeReadTheResult() throws Exception {
        CA.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        openssl(dir, "genrsa", "-out", "u.key", "2048");
        openssl(dir, "req", "-new", "-key", "u.key", "-subj", "/CN=mynewuser/O=company", "-out", "u.csr");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                "u.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "u.crt",
                "-days",
                "1");

        Credential user = Credential.load(dir.resolve("u.crt"), dir.resolve("u.key"));
        verify(user.certificate(), CA.certificate(), CLIENT_AUTH);
        assertEquals("mynewuser", user.commonName());
        assertEquals(List.of("company"), SubjectNames.organizations(user.certificate()));
    }

    @Test
    void ourCsrSigningRewritesAnOpensslRequestsSubjectAsTheReferenceDoes() throws Exception {
        CA.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
        openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "u.key");
        openssl(dir, "req", "-new", "-key", "u.key", "-subj", "/CN=mynewuser/O=company/O=second", "-out", "u.csr");

        X509Certificate cert = CA.signCsr(Files.readString(dir.resolve("u.csr")), Duration.ofHours(1));
        Files.writeString(dir.resolve("u.crt"), Pem.certificatePem(cert));

        // recorded from kube-controller-manager v1.34.4 signing the same request: Go writes O (one DER-sorted
        // multi-valued RDN) before CN
        assertEquals(
                "subject=O = second + O = company, CN = mynewuser",
                openssl(dir, "x509", "-in", "u.crt", "-noout", "-subject").strip());
        assertEquals(openssl(dir, "pkey", "-in", "u.key", "-pubout"), Pem.publicKeyPem(cert.getPublicKey()));
        assertEquals(
                "u.crt: OK",
                openssl(dir, "verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "u.crt")
                        .strip());
        assertEquals("mynewuser", SubjectNames.commonName(cert));
        // the groups a client certificate yields follow the encoded (sorted) order
        assertEquals(List.of("second", "company"), SubjectNames.organizations(cert));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void opensslReadsOurKeysAndRequests(KeyType type) throws Exception {
        Credential c = CA.issue(CertificateSpec.client("alice").keyType(type).build());
        Files.writeString(dir.resolve("clientgo.key"), c.privateKeyPem());
        Files.writeString(dir.resolve("pkcs8.key"), c.privateKeyPkcs8Pem());
        String expected = Pem.publicKeyPem(c.certificate().getPublicKey());
        assertEquals(expected, openssl(dir, "pkey", "-in", "clientgo.key", "-pubout"));
        assertEquals(expected, openssl(dir, "pkey", "-in", "pkcs8.key", "-pubout"));

        Files.writeString(
                dir.resolve("r.csr"), Csr.create(type.generate(), "bob", "dev").pem());
        String verified = openssl(dir, "req", "-in", "r.csr", "-noout", "-verify", "-subject");
        assertTrue(verified.contains("verify OK"), verified);
        assertTrue(verified.contains("subject=O = dev, CN = bob"), verified);
    }
}
