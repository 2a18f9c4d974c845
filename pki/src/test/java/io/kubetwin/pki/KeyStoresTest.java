package io.kubetwin.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A real TLS handshake on 127.0.0.1 using material from a kubeconfig. */
class KeyStoresTest {

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void kubeconfigGivesATlsClientThatTheServerAuthenticates(KeyType type) throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("kubernetes", type, Duration.ofDays(1));
        Credential serving = ca.issue(CertificateSpec.server(CertificateAuthority.APISERVER_NAME)
                .dnsNames(CertificateAuthority.APISERVER_DNS_NAMES)
                .ipAddresses("127.0.0.1")
                .keyType(type)
                .build());
        Credential alice = ca.issue(CertificateSpec.client("alice")
                .organizations("dev")
                .keyType(type)
                .build());

        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStores.keyStore(serving), new char[0]);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), trustManagers(ca), null);

        try (SSLServerSocket server = (SSLServerSocket)
                serverContext.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            Kubeconfig kubeconfig = Kubeconfig.withClientCertificate(
                    "kubernetes", "https://127.0.0.1:" + server.getLocalPort(), ca.certificatePem(), "alice", alice);
            assertEquals("alice", peerCommonName(server, KeyStores.clientContext(kubeconfig)));
        }
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void servingKeyManagerPresentsItsCertificateForItsKeyTypeOnly(KeyType type) throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("kubernetes", type, Duration.ofDays(1));
        Credential serving = ca.issue(CertificateSpec.server(CertificateAuthority.APISERVER_NAME)
                .ipAddresses("127.0.0.1")
                .keyType(type)
                .build());
        Credential alice =
                ca.issue(CertificateSpec.client("alice").keyType(type).build());
        var keyManager = KeyStores.servingKeyManager(serving);
        String own = serving.privateKey().getAlgorithm();
        String other = own.equals("RSA") ? "EC" : "RSA";
        assertEquals("serving", keyManager.chooseEngineServerAlias(own, null, null));
        assertEquals(null, keyManager.chooseEngineServerAlias(other, null, null));
        assertEquals(serving.certificate(), keyManager.getCertificateChain("serving")[0]);

        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(new javax.net.ssl.KeyManager[] {keyManager}, trustManagers(ca), null);
        try (SSLServerSocket server = (SSLServerSocket)
                serverContext.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            Kubeconfig kubeconfig = Kubeconfig.withClientCertificate(
                    "kubernetes", "https://127.0.0.1:" + server.getLocalPort(), ca.certificatePem(), "alice", alice);
            assertEquals("alice", peerCommonName(server, KeyStores.clientContext(kubeconfig)));
        }
    }

    /**
     * Connects with {@code client} (checking the serving certificate's IP SAN) and returns the CN of the client
     * certificate the server received.
     */
    private static String peerCommonName(SSLServerSocket server, SSLContext client) throws Exception {
        CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.startHandshake();
                X509Certificate presented = (X509Certificate) s.getSession().getPeerCertificates()[0];
                try (OutputStream out = s.getOutputStream()) {
                    out.write(1);
                }
                return SubjectNames.commonName(presented);
            } catch (Exception e) {
                return "server error: " + e;
            }
        });
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            try (InputStream in = s.getInputStream()) {
                assertEquals(1, in.read());
            }
        }
        return peer.get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void aServerFromAnotherCaIsRejected(KeyType type) throws Exception {
        CertificateAuthority ours = CertificateAuthority.generate("kubernetes", type, Duration.ofDays(1));
        CertificateAuthority theirs = CertificateAuthority.generate("kubernetes", type, Duration.ofDays(1));
        Credential serving = theirs.issue(CertificateSpec.server("kube-apiserver")
                .ipAddresses("127.0.0.1")
                .keyType(type)
                .build());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStores.keyStore(serving), new char[0]);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        try (SSLServerSocket server = (SSLServerSocket)
                serverContext.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.startHandshake();
                } catch (Exception expected) {
                    // the client aborts the handshake
                }
            });
            SSLContext client = KeyStores.clientContext(List.of(ours.certificate()), null);
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
                assertThrows(SSLHandshakeException.class, s::startHandshake);
            }
        }
    }

    /**
     * The fakes ask for a client certificate and accept any at the handshake (ClientCertificateTrust), verifying it
     * afterwards, so that an untrusted certificate gets a 401. The client must then present its certificate even
     * though the issuers the server lists do not include its CA.
     */
    @Test
    void presentsItsCertificateWhateverIssuersTheServerLists() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("kubernetes", KeyType.EC_P256, Duration.ofDays(1));
        CertificateAuthority listed = CertificateAuthority.generate("listed", KeyType.EC_P256, Duration.ofDays(1));
        Credential serving = ca.issue(CertificateSpec.server("kube-apiserver")
                .ipAddresses("127.0.0.1")
                .keyType(KeyType.EC_P256)
                .build());
        Credential mallory = CertificateAuthority.generate("other", KeyType.EC_P256, Duration.ofDays(1))
                .issue(CertificateSpec.client("mallory")
                        .keyType(KeyType.EC_P256)
                        .build());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStores.keyStore(serving), new char[0]);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(
                kmf.getKeyManagers(),
                new TrustManager[] {new ClientCertificateTrust(List.of(listed.certificate()))},
                null);
        try (SSLServerSocket server = (SSLServerSocket)
                serverContext.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setWantClientAuth(true);
            assertEquals(
                    "mallory", peerCommonName(server, KeyStores.clientContext(List.of(ca.certificate()), mallory)));
        }
    }

    private static TrustManager[] trustManagers(CertificateAuthority ca) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(KeyStores.trustStore(List.of(ca.certificate())));
        return tmf.getTrustManagers();
    }
}
