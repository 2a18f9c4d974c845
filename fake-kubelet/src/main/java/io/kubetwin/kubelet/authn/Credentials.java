package io.kubetwin.kubelet.authn;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a request carries to authenticate with, extracted once from the connection and headers so the
 * authenticators stay pure and testable without a socket.
 *
 * @param peerCertificates the client's chain as presented at the TLS handshake, leaf first; empty when none
 *                         (never verified by TLS: see {@link X509Authenticator})
 * @param authorizationHeader the raw {@code Authorization} header, or null
 */
public record Credentials(List<X509Certificate> peerCertificates, String authorizationHeader) {
    public Credentials {
        peerCertificates = List.copyOf(peerCertificates == null ? List.of() : peerCertificates);
    }

    public static Credentials none() {
        return new Credentials(List.of(), null);
    }

    public static Credentials bearer(String token) {
        return new Credentials(List.of(), "Bearer " + token);
    }
}
