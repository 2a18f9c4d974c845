package io.kubetwin.kubelet.authn;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The minimal client-chain check the kubelet needs: is the leaf, with the rest of the peer chain as
 * intermediates, chained to one of the client CAs, valid now, and usable for client authentication
 * (Go's x509.VerifyOptions with KeyUsages=[ClientAuth], as k8s.io/apiserver/pkg/authentication/request/x509
 * sets them). The kubelet never shows the verification error on the wire (every failure is a bare 401
 * {@code Unauthorized}), so this uses the JDK's PKIX builder instead of reproducing Go's error texts.
 * To share later: fake-apiserver's {@code authn/GoChainVerifier} is the Go-faithful version (same decisions
 * plus Go's messages); once it moves to a shared module this class should delegate to it. Stateless.
 */
final class ClientChainVerifier {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU = "2.5.29.37.0";

    private ClientChainVerifier() {}

    /** Returns null when the chain verifies, else a reason for the log. */
    static String verify(List<X509Certificate> peerChain, List<X509Certificate> roots, Instant now) {
        X509Certificate leaf = peerChain.get(0);
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate root : roots) {
                anchors.add(new TrustAnchor(root, null));
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(peerChain)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult)
                    CertPathBuilder.getInstance("PKIX").build(params);
            return usableForClientAuth(
                    result.getCertPath(), result.getTrustAnchor().getTrustedCert());
        } catch (GeneralSecurityException | RuntimeException e) {
            return "x509: " + e.getMessage();
        }
    }

    /** Go's checkChainForKeyUsage: every certificate that lists extended key usages must allow client auth. */
    private static String usableForClientAuth(CertPath path, X509Certificate root) throws GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        for (var c : path.getCertificates()) {
            chain.add((X509Certificate) c);
        }
        chain.add(root);
        for (X509Certificate c : chain) {
            List<String> eku = c.getExtendedKeyUsage();
            if (eku != null && !eku.isEmpty() && !eku.contains(ANY_EKU) && !eku.contains(CLIENT_AUTH)) {
                return "x509: certificate specifies an incompatible key usage";
            }
        }
        return null;
    }
}
