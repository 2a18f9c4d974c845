package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.pki.KeyStores;
import java.io.IOException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TLS 1.2 cipher suites the fake accepts are Go's defaults (what kube-apiserver v1.34.4 accepted in an
 * openssl s_client sweep: ECDHE with AES-GCM, ChaCha20-Poly1305 and AES-CBC-SHA1 only), not Java's longer list.
 * The embedded server's key is ECDSA, so the ECDSA variants are the ones negotiated here; the two refused SHA-2
 * CBC suites are among Java's defaults. The static-RSA and DHE suites Java also adds need an RSA key: an openssl
 * s_client sweep of a cert-dir server (RSA) found the same five TLS 1.2 suites as on the reference.
 */
class TlsCipherSuitesTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, accepted",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, accepted",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, accepted",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, accepted",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, accepted",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, refused",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, refused"
    })
    void tls12SuitesAreGosDefaults(String suite, String outcome) throws IOException {
        var context =
                KeyStores.clientContext(List.of(cluster.server().clusterCa().certificate()), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket("127.0.0.1", cluster.server().port())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {suite});
            if (outcome.equals("accepted")) {
                socket.startHandshake();
                assertEquals(suite, socket.getSession().getCipherSuite());
            } else {
                assertThrows(SSLHandshakeException.class, socket::startHandshake);
            }
        }
    }
}
