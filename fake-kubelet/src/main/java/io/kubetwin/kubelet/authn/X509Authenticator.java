package io.kubetwin.kubelet.authn;

import io.kubetwin.pki.SubjectNames;
import io.vertx.core.Future;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Client certificates against {@code --client-ca-file} (authentication.x509.clientCAFile), as
 * k8s.io/apiserver/pkg/authentication/request/x509/x509.go with CommonNameUserConversion: no peer
 * certificate is "not mine"; a chain that does not verify (untrusted, expired, not for client auth) is an
 * error, so a 401 even with anonymous enabled; a verified certificate with an empty CN is "not mine";
 * otherwise the user is the CN and the groups are the O values in order.
 *
 * <p>The TLS layer accepts any client certificate (see pki's ClientCertificateTrust); this class is what
 * turns an untrusted one into a 401. Thread-safe.
 */
public final class X509Authenticator implements Authenticator {
    private final List<X509Certificate> clientCas;
    private final Clock clock;

    public X509Authenticator(List<X509Certificate> clientCas, Clock clock) {
        this.clientCas = List.copyOf(clientCas);
        this.clock = clock;
    }

    @Override
    public Future<AuthenticationResult> authenticate(Credentials credentials) {
        return Future.succeededFuture(authenticate(credentials.peerCertificates()));
    }

    /** The synchronous core: the peer chain as presented, leaf first. */
    public AuthenticationResult authenticate(List<X509Certificate> peerChain) {
        if (peerChain.isEmpty()) {
            return AuthenticationResult.NOT_MINE;
        }
        X509Certificate leaf = peerChain.get(0);
        String failure = ClientChainVerifier.verify(peerChain, clientCas, clock.instant());
        if (failure != null) {
            return new AuthenticationResult.Failed(
                    "verifying certificate SN=" + leaf.getSerialNumber() + " failed: " + failure);
        }
        String commonName = SubjectNames.commonName(leaf);
        if (commonName.isEmpty()) {
            return AuthenticationResult.NOT_MINE;
        }
        return new AuthenticationResult.Authenticated(
                new UserInfo(commonName, "", SubjectNames.organizations(leaf), Map.of()));
    }
}
