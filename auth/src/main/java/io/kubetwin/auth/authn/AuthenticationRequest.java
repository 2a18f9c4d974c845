package io.kubetwin.auth.authn;

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
 * @param audiences the audiences the credential is asked to be valid for, as upstream carries them in the
 *                  request context (authenticator.WithAudiences): the API audiences for ordinary requests,
 *                  {@code spec.audiences} for a TokenReview; empty when none are set (upstream: not in context)
 */
public record AuthenticationRequest(
        List<X509Certificate> peerCertificates, String authorizationHeader, String path, List<String> audiences) {
    public AuthenticationRequest {
        peerCertificates = List.copyOf(peerCertificates == null ? List.of() : peerCertificates);
        audiences = List.copyOf(audiences == null ? List.of() : audiences);
    }

    public AuthenticationRequest(List<X509Certificate> peerCertificates, String authorizationHeader, String path) {
        this(peerCertificates, authorizationHeader, path, List.of());
    }

    public static AuthenticationRequest bearer(String token) {
        return new AuthenticationRequest(List.of(), "Bearer " + token, "/");
    }

    /** The same credentials asked for other audiences. */
    public AuthenticationRequest withAudiences(List<String> targetAudiences) {
        return new AuthenticationRequest(peerCertificates, authorizationHeader, path, targetAudiences);
    }
}
