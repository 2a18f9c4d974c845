package io.kubetwin.apiserver.server;

import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS-level trust of client certificates, as kube-apiserver configures it (tls.RequestClientCert
 * with ClientCAs set): every presented certificate is accepted at the handshake, so that an expired
 * or foreign certificate gets the authenticator's 401 instead of a handshake failure; the client CA
 * bundle is still sent as the acceptable issuers, which is what lets Go clients such as kubectl pick
 * the right certificate (and send none when theirs does not match).
 */
final class ClientCertificateTrust extends X509ExtendedTrustManager {
    private final X509Certificate[] acceptedIssuers;

    ClientCertificateTrust(List<X509Certificate> clientCas) {
        this.acceptedIssuers = clientCas.toArray(X509Certificate[]::new);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // verified by the x509 authenticator, per request
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // verified by the x509 authenticator, per request
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // verified by the x509 authenticator, per request
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
