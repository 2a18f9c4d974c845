package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.pki.GoTlsServerSettings;
import io.kubetwin.pki.KeyStores;
import java.io.IOException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --tls-min-version} and {@code --tls-cipher-suites} as kube-apiserver v1.34.4 applies them. Recorded from
 * the reference (run-reference.sh with the flags, openssl s_client against it): the start-up errors below, verbatim;
 * with {@code --tls-cipher-suites=TLS_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
 * TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256} each named suite was accepted for TLS 1.2 (the two insecure ones with a
 * warning each), an unnamed one (ECDHE-RSA-AES256-GCM-SHA384) refused, a client offering all got AES-128-GCM
 * (Go's preference, not the flag's order), and TLS 1.3 still answered with TLS_AES_128_GCM_SHA256.
 */
class TlsFlagsTest {

    @Test
    void flagValuesAreCheckedWithKubeApiserversMessages() {
        assertEquals("unknown tls version \"VersionTLS99\"", refusal(List.of("--tls-min-version=VersionTLS99")));
        assertEquals(
                "Cipher suite FOO not supported or doesn't exist", refusal(List.of("--tls-cipher-suites=FOO,BAR")));
        assertEquals(
                "error configuring http2: http2: TLSConfig.CipherSuites is missing an HTTP/2-required"
                        + " AES_128_GCM_SHA256 cipher (need at least one of TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or"
                        + " TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)",
                refusal(List.of("--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")));
    }

    @Test
    void http2RequirementDoesNotApplyWhenOnlyTls13IsAllowed() {
        ApiServerConfig config = ApiServerConfig.fromArgs(
                List.of("--tls-min-version=VersionTLS13", "--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
        assertEquals("VersionTLS13", config.tls().minVersion());
    }

    @Test
    void insecureSuitesAreWarnedAboutInTheFlagsOrderAndLegacyNamesAccepted() {
        GoTlsServerSettings tls = ApiServerConfig.fromArgs(List.of(
                        "--tls-cipher-suites=TLS_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,"
                                + "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
                .tls();
        assertEquals(
                List.of("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
                tls.insecureCiphers());
        assertEquals(
                List.of(
                        "TLS_AES_128_GCM_SHA256",
                        "TLS_AES_256_GCM_SHA384",
                        "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                        "TLS_RSA_WITH_AES_128_CBC_SHA",
                        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
                tls.jsseCipherSuites());
    }

    @Test
    void suitesJavaDisablesAreNamedAtStartUp() {
        GoTlsServerSettings tls = GoTlsServerSettings.parse(
                "VersionTLS10", List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_RC4_128_SHA"));
        assertEquals(List.of("VersionTLS10", "VersionTLS11", "TLS_RSA_WITH_RC4_128_SHA"), tls.unavailableInJava());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), List.copyOf(tls.jsseProtocols()));
    }

    private static String refusal(List<String> flags) {
        return assertThrows(IllegalArgumentException.class, () -> ApiServerConfig.fromArgs(flags))
                .getMessage();
    }

    /** The embedded server's key is ECDSA, so the ECDSA variants of the recorded RSA sweep are used. */
    @Nested
    class NamedSuites {
        @RegisterExtension
        final TestApiServer cluster = TestApiServer.builder()
                .config(b -> b.tls(GoTlsServerSettings.parse(
                        null,
                        List.of(
                                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))))
                .build();

        @Test
        void onlyTheNamedTls12SuitesAreAccepted() throws IOException {
            assertEquals(
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                    handshake(cluster, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"));
            assertEquals(
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                    handshake(cluster, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"));
            assertThrows(
                    SSLHandshakeException.class,
                    () -> handshake(cluster, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"));
            assertThrows(
                    SSLHandshakeException.class,
                    () -> handshake(cluster, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"));
        }

        @Test
        void theServerPicksInGosOrderNotTheClients() throws IOException {
            assertEquals(
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    handshake(
                            cluster,
                            "TLSv1.2",
                            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        }

        @Test
        void tls13SuitesAreGosWhateverTheFlagSays() throws IOException {
            assertEquals("TLS_AES_256_GCM_SHA384", handshake(cluster, "TLSv1.3", "TLS_AES_256_GCM_SHA384"));
        }
    }

    @Nested
    class Tls13Minimum {
        @RegisterExtension
        final TestApiServer cluster = TestApiServer.builder()
                .config(b -> b.tls(GoTlsServerSettings.parse("VersionTLS13", List.of())))
                .build();

        @Test
        void tls12IsRefusedAndTls13Served() throws IOException {
            assertThrows(
                    SSLHandshakeException.class,
                    () -> handshake(cluster, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
            assertEquals("TLS_AES_128_GCM_SHA256", handshake(cluster, "TLSv1.3", "TLS_AES_128_GCM_SHA256"));
        }
    }

    private static String handshake(TestApiServer cluster, String protocol, String... suites) throws IOException {
        var context =
                KeyStores.clientContext(List.of(cluster.server().clusterCa().certificate()), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket("127.0.0.1", cluster.server().port())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(suites);
            socket.startHandshake();
            return socket.getSession().getCipherSuite();
        }
    }
}
