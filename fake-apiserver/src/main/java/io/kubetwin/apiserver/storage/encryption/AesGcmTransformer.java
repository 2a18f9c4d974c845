package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.apiserver.storage.ValueTransformer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One {@code aesgcm} key (value/encrypt/aes/aes.go, gcm with a random nonce): a random 12-byte nonce, then AES-GCM
 * of the value with a 16-byte tag and the storage key as authenticated data, so a value copied under another key
 * does not decrypt. Thread-safe: a Cipher per call.
 */
final class AesGcmTransformer implements ValueTransformer {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    AesGcmTransformer(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
    }

    @Override
    public byte[] toStorage(byte[] plain, String storageKey) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(storageKey.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    @Override
    public Transformed fromStorage(byte[] stored, String storageKey) {
        if (stored.length < NONCE) {
            throw TransformFailure.of("the stored data was shorter than the required size");
        }
        if (stored.length < NONCE + TAG_BITS / 8) {
            // no room for the tag: Go's Open fails as for a wrong tag
            throw TransformFailure.of("cipher: message authentication failed");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE));
            cipher.updateAAD(storageKey.getBytes(StandardCharsets.UTF_8));
            return new Transformed(cipher.doFinal(stored, NONCE, stored.length - NONCE), false);
        } catch (AEADBadTagException e) {
            throw TransformFailure.of("cipher: message authentication failed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }
}
