package io.kubetwin.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;

/**
 * Checks that a private key belongs to a public key: for RSA by comparing the modulus and public exponent, as Go's
 * tls.X509KeyPair does (a CRT private key carries both), else by signing and verifying a probe. The comparison
 * costs nothing where a fresh JVM's first RSA signature takes tens of milliseconds of start-up.
 */
final class KeyMatch {
    private static final byte[] PROBE = "kubetwin key match probe".getBytes(StandardCharsets.US_ASCII);

    private KeyMatch() {}

    static void check(PublicKey publicKey, PrivateKey privateKey, String what) {
        if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm())) {
            throw new PkiException("private key type " + privateKey.getAlgorithm() + " does not match the " + what
                    + "'s " + publicKey.getAlgorithm() + " public key");
        }
        if (publicKey instanceof RSAPublicKey rsaPublic && privateKey instanceof RSAPrivateCrtKey rsaPrivate) {
            if (!rsaPublic.getModulus().equals(rsaPrivate.getModulus())
                    || !rsaPublic.getPublicExponent().equals(rsaPrivate.getPublicExponent())) {
                throw new PkiException("private key does not match public key in the " + what);
            }
            return;
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
