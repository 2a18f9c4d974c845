package io.kubetwin.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;

/**
 * The key types kubeadm offers for its PKI ({@code encryptionAlgorithm: RSA-2048 | ECDSA-P256}).
 */
public enum KeyType {
    RSA_2048,
    EC_P256;

    // SecureRandom is thread-safe; one instance avoids re-seeding per key.
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Generates a fresh key pair of this type with the JDK's default providers. Thread-safe; may take ~100 ms for RSA. */
    public KeyPair generate() {
        try {
            return switch (this) {
                case RSA_2048 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048, RANDOM);
                    yield g.generateKeyPair();
                }
                case EC_P256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                    yield g.generateKeyPair();
                }
            };
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot generate " + this + " key: " + e.getMessage(), e);
        }
    }

    /** True for RSA keys: only they get the keyEncipherment key usage (as client-go's cert helpers do). */
    static boolean isRsa(PublicKey key) {
        return key instanceof RSAPublicKey;
    }

    /**
     * The signature algorithm a CA with this public key signs with, as Go's x509 chooses it:
     * SHA256 for RSA and P-256, SHA384 for P-384, SHA512 for P-521.
     */
    static String signatureAlgorithm(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return "SHA256withRSA";
        }
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits <= 256 ? "SHA256withECDSA" : bits <= 384 ? "SHA384withECDSA" : "SHA512withECDSA";
        }
        throw new PkiException("unsupported signing key algorithm " + key.getAlgorithm());
    }
}
