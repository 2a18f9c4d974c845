package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.apiserver.storage.ValueTransformer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * One {@code secretbox} key (value/encrypt/secretbox/secretbox.go): a random 24-byte nonce, then NaCl secretbox
 * (golang.org/x/crypto/nacl/secretbox): the Poly1305 tag, then the value XORed with the XSalsa20 stream after its
 * first 32 bytes, which are the one-time Poly1305 key. Built from BouncyCastle's XSalsa20 and Poly1305. The
 * storage key is not used (upstream passes no authenticated data). Thread-safe: engines per call.
 */
final class SecretboxTransformer implements ValueTransformer {
    private static final int NONCE = 24;
    private static final int TAG = 16;
    private static final int POLY_KEY = 32;

    private final byte[] key;
    private final SecureRandom random;

    SecretboxTransformer(byte[] key, SecureRandom random) {
        if (key.length != 32) {
            throw new IllegalArgumentException("expected key size 32 for secretbox provider, got " + key.length);
        }
        this.key = key.clone();
        this.random = random;
    }

    @Override
    public byte[] toStorage(byte[] plain, String storageKey) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        byte[] out = Arrays.copyOf(nonce, NONCE + TAG + plain.length);
        XSalsa20Engine stream = stream(nonce);
        byte[] polyKey = polyKey(stream);
        stream.processBytes(plain, 0, plain.length, out, NONCE + TAG);
        tag(polyKey, out, NONCE + TAG, plain.length, out, NONCE);
        return out;
    }

    @Override
    public Transformed fromStorage(byte[] stored, String storageKey) {
        if (stored.length < TAG + NONCE) {
            throw TransformFailure.of("the stored data was shorter than the required size");
        }
        XSalsa20Engine stream = stream(Arrays.copyOf(stored, NONCE));
        byte[] polyKey = polyKey(stream);
        int length = stored.length - NONCE - TAG;
        byte[] expected = new byte[TAG];
        tag(polyKey, stored, NONCE + TAG, length, expected, 0);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(stored, NONCE, NONCE + TAG))) {
            // upstream's text for a failed Open, misleading as it is
            throw TransformFailure.of("output array was not large enough for encryption");
        }
        byte[] plain = new byte[length];
        stream.processBytes(stored, NONCE + TAG, length, plain, 0);
        return new Transformed(plain, false);
    }

    private XSalsa20Engine stream(byte[] nonce) {
        XSalsa20Engine engine = new XSalsa20Engine();
        engine.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        return engine;
    }

    /** The first 32 bytes of the stream; the stream then continues where the message starts. */
    private static byte[] polyKey(XSalsa20Engine stream) {
        byte[] polyKey = new byte[POLY_KEY];
        stream.processBytes(new byte[POLY_KEY], 0, POLY_KEY, polyKey, 0);
        return polyKey;
    }

    private static void tag(byte[] polyKey, byte[] in, int offset, int length, byte[] out, int outOffset) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(polyKey));
        mac.update(in, offset, length);
        mac.doFinal(out, outOffset);
    }
}
