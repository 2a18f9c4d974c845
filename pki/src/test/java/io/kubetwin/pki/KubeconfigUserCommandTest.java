package io.kubetwin.pki;

import static io.kubetwin.pki.CertificateAuthorityTest.assertBetween;
import static io.kubetwin.pki.TestPki.CLIENT_AUTH;
import static io.kubetwin.pki.TestPki.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class KubeconfigUserCommandTest {
    private static final CertificateAuthority CA =
            CertificateAuthority.generate("kubernetes", KeyType.EC_P256, Duration.ofDays(3650));

    @TempDir
    Path certDir;

    @BeforeEach
    void writeCa() throws Exception {
        CA.writeTo(certDir.resolve("ca.crt"), certDir.resolve("ca.key"));
    }

    /** Result of one run: exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {}

    Run run(String... args) {
        List<String> all = new ArrayList<>(List.of("--cert-dir", certDir.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = KubeconfigUserCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void printsAKubeadmShapedKubeconfigWhoseCertificateVerifies() throws Exception {
        Instant before = Instant.now();
        Run r = run("--client-name=alice", "--org=dev", "--org", "ops");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(
                r.out().startsWith("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: "), r.out());

        Kubeconfig k = Kubeconfig.parse(r.out());
        assertEquals("alice@kubernetes", k.currentContext().name());
        assertEquals("kubernetes", k.currentCluster().name());
        assertEquals("alice", k.currentUser().orElseThrow().name());
        assertEquals("https://127.0.0.1:6443", k.server());
        assertEquals(List.of(CA.certificate()), k.certificateAuthorities());

        X509Certificate cert = k.clientCredential().orElseThrow().certificate();
        verify(cert, CA.certificate(), CLIENT_AUTH);
        assertEquals("alice", SubjectNames.commonName(cert));
        assertEquals(List.of("dev", "ops"), SubjectNames.organizations(cert));
        assertTrue(cert.getPublicKey() instanceof RSAPublicKey, "kubeadm's default key type is RSA-2048");
        assertBetween(
                cert.getNotAfter().toInstant(),
                before.plus(Duration.ofHours(8760)),
                Instant.now().plus(Duration.ofHours(8760)));
        assertTrue(k.clientKeyPem().orElseThrow().startsWith("-----BEGIN RSA PRIVATE KEY-----\n"));
    }

    @Test
    void honoursServerClusterValidityAndKeyType() throws Exception {
        Instant before = Instant.now();
        Run r = run(
                "--client-name=system:node:worker-1",
                "--org=system:nodes",
                "--server=https://10.0.0.1:16443",
                "--cluster-name=kind",
                "--validity-period=1h30m",
                "--key-type=ecdsa");
        assertEquals(0, r.exit(), r.err());
        Kubeconfig k = Kubeconfig.parse(r.out());
        assertEquals("system:node:worker-1@kind", k.currentContextName().orElseThrow());
        assertEquals("https://10.0.0.1:16443", k.server());
        X509Certificate cert = k.clientCredential().orElseThrow().certificate();
        assertTrue(cert.getPublicKey() instanceof ECPublicKey);
        assertTrue(k.clientKeyPem().orElseThrow().startsWith("-----BEGIN EC PRIVATE KEY-----\n"));
        assertBetween(
                cert.getNotAfter().toInstant(),
                before.plus(Duration.ofMinutes(90)),
                Instant.now().plus(Duration.ofMinutes(90)));
        verify(cert, CA.certificate(), CLIENT_AUTH);
    }

    @Test
    void commaSeparatedOrgsAndExplicitCaFiles(@TempDir Path other) throws Exception {
        CA.writeTo(other.resolve("x.crt"), other.resolve("x.key"));
        Run r = run(
                "--client-name=bob",
                "--org=a,b",
                "--ca-cert",
                other.resolve("x.crt").toString(),
                "--ca-key",
                other.resolve("x.key").toString(),
                "--cert-dir",
                "/nonexistent");
        assertEquals(0, r.exit(), r.err());
        X509Certificate cert =
                Kubeconfig.parse(r.out()).clientCredential().orElseThrow().certificate();
        assertEquals(List.of("a", "b"), SubjectNames.organizations(cert));
    }

    @Test
    void tokenInsteadOfCertificate() {
        Run r = run("--client-name=robot", "--token=abcdef.0123456789abcdef");
        assertEquals(0, r.exit(), r.err());
        Kubeconfig k = Kubeconfig.parse(r.out());
        assertEquals(Optional.of("abcdef.0123456789abcdef"), k.token());
        assertEquals(Optional.empty(), k.clientCertificatePem());
        assertTrue(r.out().endsWith("users:\n- name: robot\n  user:\n    token: abcdef.0123456789abcdef\n"), r.out());
    }

    @Test
    void warnsAboutValidityLongerThanKubeadmsDefault() {
        Run r = run("--client-name=alice", "--validity-period=87600h", "--key-type=ecdsa");
        assertEquals(0, r.exit(), r.err());
        assertEquals(
                "WARNING: the specified certificate validity period 87600h0m0s is longer than the default duration "
                        + "8760h0m0s, this may increase security risks.\n",
                r.err());
    }

    @Test
    void failsWithoutTheCaFiles(@TempDir Path empty) {
        Run r = run("--client-name=alice", "--cert-dir", empty.toString());
        assertEquals(1, r.exit());
        assertEquals(
                "error: couldn't create a kubeconfig; the CA files couldn't be loaded: open " + empty.resolve("ca.crt")
                        + ": no such file or directory\n",
                r.err());
        assertEquals("", r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--org=x                      | Missing required option: '--client-name=<clientName>'",
                "--client-name=a --validity-period=1d | time: unknown unit \"d\" in duration \"1d\"",
                "--client-name=a --key-type=dsa       | unknown key type \"dsa\"; use rsa or ecdsa",
            })
    void rejectsBadFlagsWithUsageErrors(String args, String message) {
        Run r = run(args.split(" "));
        assertEquals(2, r.exit());
        assertTrue(r.err().contains(message), r.err());
    }
}
