package io.kubetwin.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KubeconfigTest {
    static final String CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";
    static final String CERT_PEM = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n";
    static final String KEY_PEM = "-----BEGIN EC PRIVATE KEY-----\nMHckey\n-----END EC PRIVATE KEY-----\n";

    static Stream<Arguments> goldens() {
        Supplier<Kubeconfig> clientCert = () -> Kubeconfig.withClientCertificate(
                "kubernetes", "https://127.0.0.1:6443", CA_PEM, "alice", CERT_PEM, KEY_PEM);
        // Entries are added out of order on purpose: kubectl writes them sorted by name.
        Supplier<Kubeconfig> many = () -> Kubeconfig.builder()
                .userToken("numeric", "12345")
                .userToken("bob", "abcdef.0123456789abcdef")
                .userCertificate("alice", CERT_PEM, KEY_PEM)
                .cluster("kubernetes", "https://127.0.0.1:6443", CA_PEM)
                .insecureCluster("a-insecure", "https://10.0.0.1:6443")
                .context("bob-in-team-a", "kubernetes", "bob", "team-a")
                .context("alice@kubernetes", "kubernetes", "alice")
                .currentContext("bob-in-team-a")
                .build();
        Supplier<Kubeconfig> empty = () -> Kubeconfig.builder().build();
        return Stream.of(
                Arguments.of("kubeconfig-client-certificate.yaml", clientCert),
                Arguments.of("kubeconfig-many.yaml", many),
                Arguments.of("kubeconfig-empty.yaml", empty));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void writesExactlyWhatKubectlWrites(String golden, Supplier<Kubeconfig> config) throws IOException {
        assertEquals(resource("golden/" + golden), config.get().toYaml());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void parsesWhatItWrites(String golden, Supplier<Kubeconfig> config) throws IOException {
        Kubeconfig parsed = Kubeconfig.parse(resource("golden/" + golden));
        Kubeconfig original = config.get();
        assertEquals(sorted(original.clusters()), sorted(parsed.clusters()));
        assertEquals(sorted(original.contexts()), sorted(parsed.contexts()));
        assertEquals(sorted(original.users()), sorted(parsed.users()));
        assertEquals(original.currentContextName(), parsed.currentContextName());
        assertEquals(original.toYaml(), parsed.toYaml());
    }

    @Test
    void accessorsFollowTheCurrentContext() throws IOException {
        Kubeconfig k = Kubeconfig.parse(resource("golden/kubeconfig-many.yaml"));
        assertEquals("https://127.0.0.1:6443", k.server());
        assertEquals(Optional.of("team-a"), k.namespace());
        assertEquals(Optional.of(CA_PEM), k.certificateAuthorityPem());
        assertEquals(Optional.of("abcdef.0123456789abcdef"), k.token());
        assertEquals(Optional.empty(), k.clientCertificatePem());
        assertEquals(Optional.empty(), k.clientKeyPem());
        assertFalse(k.insecureSkipTlsVerify());

        Kubeconfig alice = Kubeconfig.parse(resource("golden/kubeconfig-client-certificate.yaml"));
        assertEquals(Optional.of(CERT_PEM), alice.clientCertificatePem());
        assertEquals(Optional.of(KEY_PEM), alice.clientKeyPem());
        assertEquals(Optional.empty(), alice.token());
        assertEquals(Optional.empty(), alice.namespace());
    }

    @Test
    void resolvesFilePathsAgainstTheKubeconfigFolder(@TempDir Path dir) throws IOException {
        CertificateAuthority ca = CertificateAuthority.generate("kubernetes", KeyType.EC_P256, Duration.ofDays(1));
        Credential admin = ca.issue(CertificateSpec.client("kubernetes-admin")
                .organizations("system:masters")
                .keyType(KeyType.EC_P256)
                .build());
        Files.createDirectories(dir.resolve("conf/pki"));
        Files.writeString(dir.resolve("conf/pki/ca.crt"), ca.certificatePem());
        admin.writeTo(dir.resolve("conf/pki/admin.crt"), dir.resolve("conf/pki/admin.key"));
        Files.writeString(dir.resolve("conf/robot.token"), "s3cr3t-token\n");
        Files.writeString(dir.resolve("conf/config"), resource("kubeconfig/with-files.yaml"));

        Kubeconfig k = Kubeconfig.read(dir.resolve("conf/config"));

        assertEquals("https://127.0.0.1:16443", k.server());
        assertEquals("kubernetes", k.currentCluster().tlsServerName());
        assertEquals(List.of(ca.certificate()), k.certificateAuthorities());
        Credential read = k.clientCredential().orElseThrow();
        assertEquals(admin.certificate(), read.certificate());
        assertEquals(Optional.of("kube-system"), k.namespace());
        assertEquals(Optional.empty(), k.token());

        Kubeconfig robot = Kubeconfig.parse(
                Files.readString(dir.resolve("conf/config"))
                        .replace("current-context: admin@local", "current-context: robot@local"),
                dir.resolve("conf"));
        assertEquals(Optional.of("s3cr3t-token"), robot.token());
        assertEquals(Optional.empty(), robot.clientCredential());
    }

    @Test
    void writesWithOwnerOnlyPermissions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(".kube/config");
        Kubeconfig k = Kubeconfig.withToken("kubernetes", "https://127.0.0.1:6443", CA_PEM, "bob", "t0ken");
        k.write(file);
        assertEquals(k.toYaml(), Files.readString(file));
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        assertEquals("bob@kubernetes", Kubeconfig.read(file).currentContext().name());
        assertEquals(Optional.of("t0ken"), Kubeconfig.read(file).token());
    }

    static Stream<Arguments> brokenConfigs() {
        return Stream.of(
                Arguments.of("apiVersion: v1\nkind: Config\n", "current-context is not set"),
                Arguments.of(
                        "current-context: nope\ncontexts: []\n", "context was not found for specified context: nope"),
                Arguments.of(
                        "current-context: c\ncontexts:\n- name: c\n  context: {cluster: k, user: u}\n",
                        "cluster \"k\" not found for context \"c\""));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("brokenConfigs")
    void explainsAMissingCurrentContextOrCluster(String yaml, String message) {
        assertEquals(
                message,
                assertThrows(PkiException.class, () -> Kubeconfig.parse(yaml).server())
                        .getMessage());
    }

    @Test
    void rejectsInvalidBase64AndNonMappings() {
        PkiException b64 = assertThrows(
                PkiException.class,
                () -> Kubeconfig.parse("clusters:\n- name: k\n  cluster:\n    certificate-authority-data: '%%%'\n"));
        assertTrue(b64.getMessage().startsWith("cannot parse kubeconfig: invalid base64 data"), b64.getMessage());
        PkiException list = assertThrows(PkiException.class, () -> Kubeconfig.parse("- a\n- b\n"));
        assertEquals("cannot parse kubeconfig: top level is not a mapping", list.getMessage());
        assertTrue(Kubeconfig.parse("").clusters().isEmpty(), "an empty file is an empty config");
    }

    @Test
    void dataFieldsHoldBase64EncodedPem() {
        CertificateAuthority ca = CertificateAuthority.generate("kubernetes", KeyType.EC_P256, Duration.ofDays(1));
        Credential user = ca.issue(CertificateSpec.client("mynewuser")
                .organizations("company")
                .keyType(KeyType.EC_P256)
                .build());
        Kubeconfig config = Kubeconfig.builder()
                .cluster("kubernetes", "https://127.0.0.1:6443", ca.certificatePem())
                .userCertificate("mynewuser", user)
                .context("mynewuser", "kubernetes", "mynewuser", "target-namespace")
                .currentContext("mynewuser")
                .build();
        String yaml = config.toYaml();
        assertTrue(yaml.contains("certificate-authority-data: "), yaml);
        assertTrue(yaml.contains("client-certificate-data: "), yaml);
        assertTrue(yaml.contains("client-key-data: "), yaml);
        assertFalse(yaml.contains("BEGIN"), "PEM must be base64-encoded in the -data fields");
        Kubeconfig parsed = Kubeconfig.parse(yaml, Path.of("."));
        assertEquals(config.users(), parsed.users());
        assertEquals(Optional.of("target-namespace"), parsed.namespace());
        assertEquals(user.certificate(), parsed.clientCredential().orElseThrow().certificate());
    }

    @Test
    void anonymousKubeconfigKeepsKubectlFromPrompting() {
        Kubeconfig k = Kubeconfig.anonymous("kubernetes", "https://127.0.0.1:6443", null);
        assertEquals(Optional.empty(), k.token());
        assertEquals(Optional.empty(), k.clientCredential());
        assertTrue(k.toYaml().contains("    username: anonymous\n"), k.toYaml());
        assertEquals(k.users(), Kubeconfig.parse(k.toYaml()).users());
    }

    @Test
    void toBuilderKeepsEverythingAndReplacesByName() {
        Kubeconfig k = Kubeconfig.withToken("kubernetes", "https://127.0.0.1:6443", CA_PEM, "bob", "t0ken");
        Kubeconfig other = k.toBuilder()
                .cluster("kubernetes", "https://127.0.0.1:6443", CA_PEM + CA_PEM)
                .build();
        assertEquals(k.users(), other.users());
        assertEquals(k.contexts(), other.contexts());
        assertEquals(k.currentContextName(), other.currentContextName());
        assertEquals(Optional.of(CA_PEM + CA_PEM), other.certificateAuthorityPem());
    }

    @Test
    void contextWithoutUserIsAnonymous() {
        Kubeconfig k = Kubeconfig.builder()
                .cluster("k", "https://127.0.0.1:6443", null)
                .context("anon", "k", null)
                .currentContext("anon")
                .build();
        assertEquals(Optional.empty(), k.currentUser());
        assertEquals(Optional.empty(), k.token());
        assertEquals(Optional.empty(), k.certificateAuthorityPem());
        assertEquals(List.of(), k.certificateAuthorities());
        assertEquals("""
                apiVersion: v1
                clusters:
                - cluster:
                    server: https://127.0.0.1:6443
                  name: k
                contexts:
                - context:
                    cluster: k
                  name: anon
                current-context: anon
                kind: Config
                preferences: {}
                users: null
                """, k.toYaml());
    }

    static String resource(String name) throws IOException {
        try (InputStream in = KubeconfigTest.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static <T extends Record> List<String> sorted(List<T> items) {
        return items.stream().map(Record::toString).sorted().toList();
    }
}
