package io.kubetwin.kubelet.server;

import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS-level trust of client certificates as the kubelet configures it (cmd/kubelet/app/server.go
 * InitializeTLS: ClientAuth = tls.RequestClientCert, ClientCAs = the client CA bundle): every presented
 * certificate is accepted at the handshake, so an untrusted one gets the x509 authenticator's 401 rather
 * than a handshake failure; the bundle is still advertised as acceptable issuers, which is how Go clients
 * pick a certificate. To share later: fake-apiserver has the same class (server/ClientCertificateTrust).
 */
final class ClientCertificateTrust extends X509ExtendedTrustManager {
    private final X509Certificate[] acceptedIssuers;

    ClientCertificateTrust(List<X509Certificate> clientCas) {
        this.acceptedIssuers = clientCas.toArray(X509Certificate[]::new);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // verified per request by the x509 authenticator
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // verified per request by the x509 authenticator
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // verified per request by the x509 authenticator
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        throw new UnsupportedOperationException("server-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        throw new UnsupportedOperationException("server-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        throw new UnsupportedOperationException("server-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return acceptedIssuers.clone();
    }
}
