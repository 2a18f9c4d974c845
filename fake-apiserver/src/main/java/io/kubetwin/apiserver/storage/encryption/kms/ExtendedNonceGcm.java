package io.kubetwin.apiserver.storage.encryption.kms;

import io.kubetwin.apiserver.storage.ValueTransformer;
import java.util.Arrays;
import java.util.function.Function;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * AES-GCM with a key derived per value from a seed (value/encrypt/aes/aes_extended_nonce.go,
 * NewHKDFExtendedNonceGCMTransformer), what KMS v2 writes with since KMSv2KDF was locked on (v1.29): 32 random bytes
 * of "info", the key HKDF-Expand(SHA-256, seed, info) (32 bytes, no extract step), then AES-GCM with a random
 * 12-byte nonce and the storage key as authenticated data. Stored as info, nonce, ciphertext and tag. Upstream
 * caches derived keys per storage key to save CPU; here each value derives its key again. Thread-safe.
 */
final class ExtendedNonceGcm implements ValueTransformer {
    /** The seed size KMS v2 generates, and the minimum it accepts (MinSeedSizeExtendedNonceGCM). */
    static final int SEED_SIZE = 32;

    private static final int INFO_SIZE = 32;
    private static final int KEY_SIZE = 32;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final byte[] seed;
    private final Function<byte[], ValueTransformer> gcm;

    /**
     * @param gcm AES-GCM (random nonce, storage key as authenticated data) for a derived key
     * @throws IllegalArgumentException with upstream's text for a seed shorter than 32 bytes
     */
    ExtendedNonceGcm(byte[] seed, Function<byte[], ValueTransformer> gcm) {
        if (seed.length < SEED_SIZE) {
            throw new IllegalArgumentException("invalid seed length " + seed.length + " used for key generation");
        }
        this.seed = seed.clone();
        this.gcm = gcm;
    }

    @Override
    public byte[] toStorage(byte[] plain, String storageKey) {
        byte[] info = new byte[INFO_SIZE];
        RANDOM.nextBytes(info);
        byte[] sealed = derived(info).toStorage(plain, storageKey);
        byte[] out = Arrays.copyOf(info, INFO_SIZE + sealed.length);
        System.arraycopy(sealed, 0, out, INFO_SIZE, sealed.length);
        return out;
    }

    @Override
    public Transformed fromStorage(byte[] stored, String storageKey) {
        if (stored.length < INFO_SIZE) {
            throw KmsV2Transformer.failure("the stored data was shorter than the required size");
        }
        byte[] info = Arrays.copyOf(stored, INFO_SIZE);
        return derived(info).fromStorage(Arrays.copyOfRange(stored, INFO_SIZE, stored.length), storageKey);
    }

    private ValueTransformer derived(byte[] info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(HKDFParameters.skipExtractParameters(seed, info));
        byte[] key = new byte[KEY_SIZE];
        hkdf.generateBytes(key, 0, KEY_SIZE);
        return gcm.apply(key);
    }
}
