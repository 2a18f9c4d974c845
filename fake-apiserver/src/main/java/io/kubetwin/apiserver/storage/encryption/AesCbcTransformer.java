package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.apiserver.storage.ValueTransformer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One {@code aescbc} key (value/encrypt/aes/aes.go, cbc): a random 16-byte IV, then AES-CBC of the value with
 * PKCS#7 padding. The padding is checked here rather than by the JCE so that a bad one fails with upstream's
 * words. The storage key is not used (CBC has no authenticated data). Thread-safe: a Cipher per call.
 */
final class AesCbcTransformer implements ValueTransformer {
    private static final int BLOCK = 16;

    private final SecretKeySpec key;
    private final SecureRandom random;

    AesCbcTransformer(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
    }

    @Override
    public byte[] toStorage(byte[] plain, String storageKey) {
        int padding = BLOCK - plain.length % BLOCK;
        byte[] padded = Arrays.copyOf(plain, plain.length + padding);
        Arrays.fill(padded, plain.length, padded.length, (byte) padding);
        byte[] iv = new byte[BLOCK];
        random.nextBytes(iv);
        byte[] out = Arrays.copyOf(iv, BLOCK + padded.length);
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            cipher.doFinal(padded, 0, padded.length, out, BLOCK);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC is unavailable", e);
        }
        return out;
    }

    @Override
    public Transformed fromStorage(byte[] stored, String storageKey) {
        if (stored.length < BLOCK) {
            throw TransformFailure.of("the stored data was shorter than the required size");
        }
        if ((stored.length - BLOCK) % BLOCK != 0) {
            throw TransformFailure.of("the stored data is not a multiple of the block size");
        }
        byte[] result;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(stored, 0, BLOCK));
            result = cipher.doFinal(stored, BLOCK, stored.length - BLOCK);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC is unavailable", e);
        }
        int padding = result.length == 0 ? 0 : result[result.length - 1] & 0xff;
        int size = result.length - padding;
        if (padding == 0 || padding > result.length) {
            throw TransformFailure.of("invalid PKCS7 data (empty or not padded)");
        }
        for (int i = size; i < result.length; i++) {
            if ((result[i] & 0xff) != padding) {
                throw TransformFailure.of("invalid padding on input");
            }
        }
        return new Transformed(Arrays.copyOf(result, size), false);
    }
}
