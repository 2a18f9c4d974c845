package io.kubetwin.auth.authn;

import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Client-certificate authentication against the client CA bundle ({@code --client-ca-file}), as
 * k8s.io/apiserver/pkg/authentication/request/x509/x509.go with CommonNameUserConversion does it in 1.34:
 * no peer certificate or an empty bundle is "not mine"; the leaf is verified with the rest of the peer
 * chain as intermediates, client-auth usage required, at the clock's current time, and a failure is
 * {@code verifying certificate SN=…, SKID=…, AKID=… failed: <Go x509 error>}; a verified certificate with an
 * empty CN is "not mine"; otherwise the user is the CN, its groups the O values in order, its extra
 * {@code authentication.kubernetes.io/credential-id: [X509SHA256=<hex sha256 of the leaf DER>]}, and its UID
 * the subject attribute 1.3.6.1.4.1.57683.2 (AllowParsingUserUIDFromCertAuth, beta and on in 1.34).
 *
 * <p>The TLS layer accepts any client certificate; this class is what turns an untrusted one into a 401.
 * Thread-safe; the CA supplier is read on every request so that a reloaded bundle takes effect. A chain's result is
 * computed once and reused while it cannot change ({@link X509ResultCache}).
 */
public final class X509Authenticator implements Authenticator {
    public static final String CREDENTIAL_ID_KEY = "authentication.kubernetes.io/credential-id";

    private final Supplier<List<X509Certificate>> clientCas;
    private final Clock clock;
    private final boolean parseUid;
    /** Verification done once per client certificate (chain), not once per request. */
    private final X509ResultCache results = new X509ResultCache();

    public X509Authenticator(Supplier<List<X509Certificate>> clientCas) {
        this(clientCas, Clock.systemUTC(), true);
    }

    /**
     * @param parseUid whether the UID subject attribute is read (feature gate AllowParsingUserUIDFromCertAuth)
     */
    public X509Authenticator(Supplier<List<X509Certificate>> clientCas, Clock clock, boolean parseUid) {
        this.clientCas = clientCas;
        this.clock = clock;
        this.parseUid = parseUid;
    }

    @Override
    public Future<AuthenticationResult> authenticate(AuthenticationRequest request) {
        return Future.succeededFuture(authenticate(request.peerCertificates()));
    }

    /** The synchronous core: the peer chain as presented, leaf first. */
    public AuthenticationResult authenticate(List<X509Certificate> peerCertificates) {
        if (peerCertificates.isEmpty()) {
            return AuthenticationResult.NOT_MINE;
        }
        List<X509Certificate> roots = clientCas.get();
        if (roots == null || roots.isEmpty()) {
            return AuthenticationResult.NOT_MINE;
        }
        Instant now = clock.instant();
        AuthenticationResult known = results.get(peerCertificates, roots, now);
        if (known != null) {
            return known;
        }
        AuthenticationResult result = verify(peerCertificates, roots, now);
        results.put(peerCertificates, roots, now, result);
        return result;
    }

    private AuthenticationResult verify(
            List<X509Certificate> peerCertificates, List<X509Certificate> roots, Instant now) {
        X509Certificate leaf = peerCertificates.get(0);
        try {
            GoChainVerifier.verify(leaf, peerCertificates.subList(1, peerCertificates.size()), roots, now);
        } catch (GoChainVerifier.VerifyException e) {
            return new AuthenticationResult.Failed(
                    "verifying certificate " + X509Names.certificateIdentifier(leaf) + " failed: " + e.getMessage());
        }
        return toUser(leaf);
    }

    /** CommonNameUserConversion (every verified chain starts with the same leaf, so one conversion). */
    private AuthenticationResult toUser(X509Certificate leaf) {
        X509Names.Subject subject = X509Names.subject(leaf);
        if (subject.commonName().isEmpty()) {
            return AuthenticationResult.NOT_MINE;
        }
        String uid = "";
        if (parseUid) {
            List<String> uids = subject.uidValues();
            if (uids.contains(null)) {
                return new AuthenticationResult.Failed("unable to parse UID into a string");
            }
            if (uids.size() > 1) {
                return new AuthenticationResult.Failed("expected 1 UID, but found multiple: " + GoText.list(uids));
            }
            if (uids.size() == 1) {
                if (uids.get(0).isEmpty()) {
                    return new AuthenticationResult.Failed("UID cannot be an empty string");
                }
                uid = uids.get(0);
            }
        }
        UserInfo user = new UserInfo(
                subject.commonName(),
                uid,
                subject.organizations(),
                Map.of(CREDENTIAL_ID_KEY, List.of("X509SHA256=" + sha256Hex(leaf))));
        return new AuthenticationResult.Authenticated(user);
    }

    static String sha256Hex(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
