package io.kubetwin.auth.authn;

import io.kubetwin.pki.GoText;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Certificate chain verification as Go's crypto/x509 (Certificate.Verify, verify.go) does it for
 * kube-apiserver's client-certificate check (roots = the client CA bundle, intermediates = the rest of the
 * peer chain, key usage = client auth), so that the same certificates are accepted and the failures read
 * like Go's errors: expired or not-yet-valid leaf, unknown authority (with the "possibly because of" hint
 * when a same-named candidate CA failed), non-CA issuers, path-length and extended-key-usage violations.
 * Signatures are checked with the JCA. Name constraints and certificate policies are not evaluated
 * (a difference only for CAs that carry them). Stateless and thread-safe.
 */
final class GoChainVerifier {
    static final String OID_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String OID_ANY_EKU = "2.5.29.37.0";
    private static final int MAX_SIGNATURE_CHECKS = 100;
    /** Extensions crypto/x509's parser understands; any other critical extension fails verification. */
    private static final Set<String> HANDLED_EXTENSIONS = Set.of(
            "2.5.29.14",
            "2.5.29.15",
            "2.5.29.17",
            "2.5.29.19",
            "2.5.29.30",
            "2.5.29.31",
            "2.5.29.32",
            "2.5.29.33",
            "2.5.29.35",
            "2.5.29.36",
            "2.5.29.37",
            "2.5.29.54",
            "1.3.6.1.5.5.7.1.1");

    /** A verification failure; the message is Go's error text. */
    static final class VerifyException extends Exception {
        VerifyException(String message) {
            super(message, null, false, false);
        }
    }

    private enum CertType {
        LEAF,
        INTERMEDIATE,
        ROOT
    }

    /** A possible parent and the pool it comes from (roots are tried before intermediates, as in Go). */
    private record Candidate(CertType type, X509Certificate cert) {}

    private GoChainVerifier() {}

    /** Verified chains, leaf first and a root last; throws with Go's message when there is none. */
    static List<List<X509Certificate>> verify(
            X509Certificate leaf, List<X509Certificate> intermediates, List<X509Certificate> roots, Instant now)
            throws VerifyException {
        String invalid = isValid(leaf, CertType.LEAF, List.of(), now);
        if (invalid != null) {
            throw new VerifyException(invalid);
        }
        List<List<X509Certificate>> candidates;
        if (containsExactly(roots, leaf)) {
            candidates = List.of(List.of(leaf));
        } else {
            Search search = new Search(intermediates, roots, now);
            candidates = search.buildChains(leaf, List.of(leaf));
            if (candidates.isEmpty()) {
                throw new VerifyException(search.error);
            }
        }
        List<List<X509Certificate>> chains = new ArrayList<>();
        for (List<X509Certificate> chain : candidates) {
            if (chainAllowsClientAuth(chain)) {
                chains.add(chain);
            }
        }
        if (chains.isEmpty()) {
            throw new VerifyException("x509: certificate specifies an incompatible key usage");
        }
        return chains;
    }

    /** One buildChains walk; mirrors Go's shared signature-check budget and its last-error-wins result. */
    private static final class Search {
        private final List<X509Certificate> intermediates;
        private final List<X509Certificate> roots;
        private final Instant now;
        private int signatureChecks;
        String error;

        Search(List<X509Certificate> intermediates, List<X509Certificate> roots, Instant now) {
            this.intermediates = intermediates;
            this.roots = roots;
            this.now = now;
        }

        List<List<X509Certificate>> buildChains(X509Certificate cert, List<X509Certificate> currentChain) {
            List<List<X509Certificate>> chains = new ArrayList<>();
            String err = null;
            String hintErr = null;
            X509Certificate hintCert = null;
            List<Candidate> candidates = new ArrayList<>();
            for (X509Certificate root : potentialParents(roots, cert)) {
                candidates.add(new Candidate(CertType.ROOT, root));
            }
            for (X509Certificate intermediate : potentialParents(intermediates, cert)) {
                candidates.add(new Candidate(CertType.INTERMEDIATE, intermediate));
            }
            for (Candidate entry : candidates) {
                CertType type = entry.type();
                X509Certificate candidate = entry.cert();
                if (alreadyInChain(candidate, currentChain)) {
                    continue;
                }
                if (++signatureChecks > MAX_SIGNATURE_CHECKS) {
                    err = "x509: signature check attempts limit reached while verifying certificate chain";
                    continue;
                }
                String sigErr = checkSignatureFrom(cert, candidate);
                if (sigErr != null) {
                    if (hintErr == null) {
                        hintErr = sigErr;
                        hintCert = candidate;
                    }
                    continue;
                }
                err = isValid(candidate, type, currentChain, now);
                if (err != null) {
                    if (hintErr == null) {
                        hintErr = err;
                        hintCert = candidate;
                    }
                    continue;
                }
                List<X509Certificate> extended = new ArrayList<>(currentChain);
                extended.add(candidate);
                if (type == CertType.ROOT) {
                    chains.add(List.copyOf(extended));
                } else {
                    List<List<X509Certificate>> child = buildChains(candidate, List.copyOf(extended));
                    err = child.isEmpty() ? error : null;
                    chains.addAll(child);
                }
            }
            if (!chains.isEmpty()) {
                err = null;
            } else if (err == null) {
                err = unknownAuthority(hintErr, hintCert);
            }
            error = err;
            return chains;
        }
    }

    private static String unknownAuthority(String hintErr, X509Certificate hintCert) {
        String s = "x509: certificate signed by unknown authority";
        if (hintErr != null) {
            X509Names.Subject subject = X509Names.subject(hintCert);
            String name = subject.commonName();
            if (name.isEmpty()) {
                name = subject.organizations().isEmpty()
                        ? "serial:" + hintCert.getSerialNumber()
                        : subject.organizations().get(0);
            }
            s += " (possibly because of " + GoText.quote(hintErr) + " while trying to verify candidate authority "
                    + "certificate " + GoText.quote(name) + ")";
        }
        return s;
    }

    /** Candidates whose subject is the certificate's issuer, best key-identifier match first (CertPool). */
    private static List<X509Certificate> potentialParents(List<X509Certificate> pool, X509Certificate cert) {
        byte[] issuer = cert.getIssuerX500Principal().getEncoded();
        byte[] akid = X509Names.authorityKeyId(cert);
        List<X509Certificate> matching = new ArrayList<>();
        List<X509Certificate> oneKeyId = new ArrayList<>();
        List<X509Certificate> mismatch = new ArrayList<>();
        List<X509Certificate> seen = new ArrayList<>();
        for (X509Certificate candidate : pool) {
            if (containsExactly(seen, candidate)
                    || !Arrays.equals(candidate.getSubjectX500Principal().getEncoded(), issuer)) {
                continue;
            }
            seen.add(candidate);
            byte[] skid = X509Names.subjectKeyId(candidate);
            if (Arrays.equals(skid, akid)) {
                matching.add(candidate);
            } else if (skid.length == 0 || akid.length == 0) {
                oneKeyId.add(candidate);
            } else {
                mismatch.add(candidate);
            }
        }
        List<X509Certificate> ordered = new ArrayList<>(matching);
        ordered.addAll(oneKeyId);
        ordered.addAll(mismatch);
        return ordered;
    }

    private static boolean containsExactly(List<X509Certificate> pool, X509Certificate cert) {
        for (X509Certificate c : pool) {
            if (c.equals(cert)) { // X509Certificate.equals compares the DER encoding
                return true;
            }
        }
        return false;
    }

    private static boolean alreadyInChain(X509Certificate candidate, List<X509Certificate> chain) {
        byte[] candidateSan = candidate.getExtensionValue("2.5.29.17");
        for (X509Certificate cert : chain) {
            if (!Arrays.equals(
                            candidate.getSubjectX500Principal().getEncoded(),
                            cert.getSubjectX500Principal().getEncoded())
                    || !candidate.getPublicKey().equals(cert.getPublicKey())) {
                continue;
            }
            byte[] certSan = cert.getExtensionValue("2.5.29.17");
            if (candidateSan == null && certSan == null) {
                return true;
            }
            if (candidateSan != null && certSan != null && Arrays.equals(candidateSan, certSan)) {
                return true;
            }
        }
        return false;
    }

    /** Certificate.isValid: the checks on a certificate about to be appended to the chain. */
    private static String isValid(X509Certificate c, CertType type, List<X509Certificate> currentChain, Instant now) {
        Set<String> critical = c.getCriticalExtensionOIDs();
        if (critical != null && !HANDLED_EXTENSIONS.containsAll(critical)) {
            return "x509: unhandled critical extension";
        }
        if (!currentChain.isEmpty()) {
            X509Certificate child = currentChain.get(currentChain.size() - 1);
            if (!Arrays.equals(
                    child.getIssuerX500Principal().getEncoded(),
                    c.getSubjectX500Principal().getEncoded())) {
                return "x509: issuer name does not match subject from issuing certificate";
            }
        }
        Instant notBefore = c.getNotBefore().toInstant();
        Instant notAfter = c.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            return "x509: certificate has expired or is not yet valid: current time " + GoText.rfc3339(now)
                    + " is before " + GoText.rfc3339(notBefore);
        }
        if (now.isAfter(notAfter)) {
            return "x509: certificate has expired or is not yet valid: current time " + GoText.rfc3339(now)
                    + " is after " + GoText.rfc3339(notAfter);
        }
        boolean basicConstraintsValid = c.getExtensionValue("2.5.29.19") != null;
        int pathLen = c.getBasicConstraints();
        boolean isCa = pathLen >= 0;
        if (type == CertType.INTERMEDIATE && (!basicConstraintsValid || !isCa)) {
            return "x509: certificate is not authorized to sign other certificates";
        }
        int maxPathLen = pathLen == Integer.MAX_VALUE ? -1 : pathLen;
        if (basicConstraintsValid && maxPathLen >= 0 && currentChain.size() - 1 > maxPathLen) {
            return "x509: too many intermediates for path length constraint";
        }
        return null;
    }

    /** Certificate.CheckSignatureFrom: may parent sign, and did it sign child. */
    private static String checkSignatureFrom(X509Certificate child, X509Certificate parent) {
        boolean basicConstraintsValid = parent.getExtensionValue("2.5.29.19") != null;
        boolean isCa = parent.getBasicConstraints() >= 0;
        if (parent.getVersion() == 3 && !basicConstraintsValid || basicConstraintsValid && !isCa) {
            return "x509: invalid signature: parent certificate cannot sign this kind of certificate";
        }
        boolean[] keyUsage = parent.getKeyUsage();
        if (keyUsage != null && anySet(keyUsage) && !(keyUsage.length > 5 && keyUsage[5])) {
            return "x509: invalid signature: parent certificate cannot sign this kind of certificate";
        }
        String algorithm = child.getSigAlgName().toUpperCase(Locale.ROOT);
        PublicKey key = parent.getPublicKey();
        if (algorithm.startsWith("SHA1WITH") || algorithm.startsWith("MD5") || algorithm.startsWith("MD2")) {
            String name = algorithm.contains("ECDSA")
                    ? "ECDSA-SHA1"
                    : algorithm.startsWith("SHA1") ? "SHA1-RSA" : algorithm.startsWith("MD5") ? "MD5-RSA" : "MD2-RSA";
            return "x509: cannot verify signature: insecure algorithm " + name;
        }
        boolean wantsRsa = algorithm.contains("RSA");
        boolean wantsEcdsa = algorithm.contains("ECDSA");
        if (wantsRsa && !(key instanceof RSAPublicKey)) {
            return "x509: signature algorithm specifies an RSA public key, but have public key of type "
                    + goKeyType(key);
        }
        if (wantsEcdsa && !(key instanceof ECPublicKey)) {
            return "x509: signature algorithm specifies an ECDSA public key, but have public key of type "
                    + goKeyType(key);
        }
        try {
            child.verify(key);
            return null;
        } catch (InvalidKeyException e) {
            return "x509: signature algorithm specifies an RSA public key, but have public key of type "
                    + goKeyType(key);
        } catch (Exception e) {
            if (key instanceof RSAPublicKey) {
                return "crypto/rsa: verification error";
            }
            if (key instanceof ECPublicKey) {
                return "x509: ECDSA verification failure";
            }
            return "x509: " + key.getAlgorithm() + " verification failure";
        }
    }

    private static String goKeyType(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return "*rsa.PublicKey";
        }
        if (key instanceof ECPublicKey) {
            return "*ecdsa.PublicKey";
        }
        return "ed25519.PublicKey";
    }

    private static boolean anySet(boolean[] bits) {
        for (boolean b : bits) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /** checkChainForKeyUsage with client auth requested: every certificate that lists EKUs must allow it. */
    private static boolean chainAllowsClientAuth(List<X509Certificate> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            List<String> eku;
            try {
                eku = chain.get(i).getExtendedKeyUsage();
            } catch (CertificateParsingException e) {
                return false;
            }
            if (eku == null || eku.isEmpty() || eku.contains(OID_ANY_EKU)) {
                continue;
            }
            if (!eku.contains(OID_CLIENT_AUTH)) {
                return false;
            }
        }
        return true;
    }
}
