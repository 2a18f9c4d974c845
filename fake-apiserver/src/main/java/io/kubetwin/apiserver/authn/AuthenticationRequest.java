package io.kubetwin.apiserver.authn;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The credentials a request carries, extracted once from the connection and headers so that
 * authenticators stay pure and testable without a socket.
 *
 * @param peerCertificates the client's certificate chain as presented at the TLS handshake, leaf first;
 *                         empty when the client sent none (never verified by TLS: see X509Authenticator)
 * @param authorizationHeader the raw {@code Authorization} header, or null
 * @param path the request path, for authenticators that are path-conditional (anonymous conditions)
 */
public record AuthenticationRequest(List<X509Certificate> peerCertificates, String authorizationHeader, String path) {
    public AuthenticationRequest {
        peerCertificates = List.copyOf(peerCertificates == null ? List.of() : peerCertificates);
    }

    public static AuthenticationRequest bearer(String token) {
        return new AuthenticationRequest(List.of(), "Bearer " + token, "/");
    }
}
