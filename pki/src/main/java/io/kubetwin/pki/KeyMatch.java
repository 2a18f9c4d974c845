package io.kubetwin.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Checks that a private key belongs to a public key by signing and verifying a probe. */
final class KeyMatch {
    private static final byte[] PROBE = "kubetwin key match probe".getBytes(StandardCharsets.US_ASCII);

    private KeyMatch() {}

    static void check(PublicKey publicKey, PrivateKey privateKey, String what) {
        if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm())) {
            throw new PkiException("private key type " + privateKey.getAlgorithm() + " does not match the " + what
                    + "'s " + publicKey.getAlgorithm() + " public key");
        }
        try {
            String algorithm = KeyType.signatureAlgorithm(publicKey);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(privateKey);
            s.update(PROBE);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(publicKey);
            v.update(PROBE);
            if (!v.verify(signature)) {
                throw new PkiException("private key does not match public key in the " + what);
            }
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot check the private key against the " + what + ": " + e.getMessage(), e);
        }
    }
}
