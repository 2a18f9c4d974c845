package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.pki.GoTlsServerSettings;
import io.kubetwin.reference.EtcdProcess;
import io.kubetwin.reference.KubeApiServerProcess;
import io.kubetwin.reference.ReferenceBinaries;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS surface of the fake against the reference kube-apiserver v1.34.4, both serving the same RSA certificate
 * with the same {@code --tls-min-version}/{@code --tls-cipher-suites}: for every protocol and cipher suite this JVM
 * can offer, one handshake offering only that suite, and the sets accepted must be equal; then a handshake offering
 * everything, whose chosen suite (the server's preference) must be equal too. What Java itself cannot offer (RC4,
 * 3DES, TLS 1.0/1.1) is outside the sweep and listed as a known divergence.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsSurfaceDifferentialTest {
    private EtcdProcess etcd;
    private ReferenceBinaries binaries;

    @BeforeAll
    void startEtcd(@TempDir Path dir) throws Exception {
        var located = ReferenceBinaries.locate();
        assumeTrue(located.reason() == null, located.reason());
        binaries = located.binaries();
        etcd = EtcdProcess.builder(binaries.etcd(), dir.resolve("etcd")).start();
    }

    @AfterAll
    void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "--tls-cipher-suites=TLS_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,"
                        + "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
                        + "TLS_RSA_WITH_AES_256_GCM_SHA384",
                "--tls-min-version=VersionTLS13",
                "--tls-min-version=VersionTLS12 --tls-cipher-suites=TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,"
                        + "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
            })
    void theFakeOffersWhatTheReferenceOffers(String flags, @TempDir Path dir) throws Exception {
        List<String> flagList = flags.isBlank() ? List.of() : Arrays.asList(flags.split(" "));
        try (var reference = KubeApiServerProcess.builder(binaries.apiServer(), dir.resolve("reference"))
                .etcd(etcd.url(), null)
                .flags(flagList.toArray(String[]::new))
                .start()) {
            Path pki = dir.resolve("reference/pki");
            ApiServerConfig parsed = ApiServerConfig.fromArgs(flagList);
            try (var fake = TestApiServer.start(b -> b.tlsCertFile(pki.resolve("apiserver.crt"))
                    .tlsPrivateKeyFile(pki.resolve("apiserver.key"))
                    .tls(parsed.tls()))) {
                int referencePort = Integer.parseInt(reference.url().replaceAll(".*:", ""));
                Map<String, String> expected = sweep(referencePort);
                Map<String, String> actual = sweep(fake.server().port());
                assertFalse(expected.isEmpty());
                List<String> differences = expected.keySet().stream()
                        .filter(k -> !expected.get(k).equals(actual.get(k)))
                        .map(k -> k + ": reference " + expected.get(k) + ", fake " + actual.get(k))
                        .toList();
                assertEquals(List.of(), differences, "handshakes with flags [" + flags + "]");
            }
        }
    }

    /** Protocol/suite → the suite negotiated, or "refused"; and "*"/protocol → the pick when offering everything. */
    private static Map<String, String> sweep(int port) throws Exception {
        Map<String, String> outcomes = new LinkedHashMap<>();
        List<String> suites = Arrays.stream(
                        trustingContext().getDefaultSSLParameters().getCipherSuites())
                .filter(s -> s.startsWith("TLS_") && !s.equals("TLS_EMPTY_RENEGOTIATION_INFO_SCSV"))
                .toList();
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            for (String suite : suites) {
                boolean tls13Suite = GoTlsServerSettings.defaults()
                        .jsseCipherSuites()
                        .subList(0, 3)
                        .contains(suite);
                if (tls13Suite != protocol.equals("TLSv1.3")) {
                    continue;
                }
                outcomes.put(protocol + " " + suite, handshake(port, protocol, List.of(suite)));
            }
            outcomes.put(protocol + " *", handshake(port, protocol, suites));
        }
        return outcomes;
    }

    /** A fresh context each time: a cached session would be resumed with its old suite instead of negotiated. */
    private static String handshake(int port, String protocol, List<String> suites) throws Exception {
        SSLContext context = trustingContext();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(suites.toArray(String[]::new));
            socket.startHandshake();
            return socket.getSession().getCipherSuite();
        } catch (SSLException e) {
            return "refused";
        }
    }

    /** The sweep is about what is negotiated, not who is trusted: both serve the same certificate anyway. */
    private static SSLContext trustingContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        return context;
    }
}
