package io.kubetwin.pki;

import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The server-side TLS trust of client certificates, as kube-apiserver and the kubelet configure it
 * ({@code tls.RequestClientCert} with {@code ClientCAs} set; the kubelet's in cmd/kubelet/app/server.go
 * InitializeTLS): every presented certificate is accepted at the handshake, so that an expired or foreign
 * certificate gets the x509 authenticator's 401 instead of a handshake failure; the client CA bundle is still
 * sent as the acceptable issuers, which is what lets Go clients such as kubectl pick the right certificate (and
 * send none when theirs does not match). The fakes' servers use it; the chain is verified per request by their
 * x509 authenticators. Immutable and thread-safe.
 */
public final class ClientCertificateTrust extends X509ExtendedTrustManager {
    private final X509Certificate[] acceptedIssuers;

    /** {@code clientCas}: the issuers advertised as acceptable. */
    public ClientCertificateTrust(List<X509Certificate> clientCas) {
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
