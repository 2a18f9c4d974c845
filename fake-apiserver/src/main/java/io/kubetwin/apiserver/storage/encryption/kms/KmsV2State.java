package io.kubetwin.apiserver.storage.encryption.kms;

import io.kubetwin.apiserver.storage.ValueTransformer;
import java.time.Instant;

/**
 * The write DEK of a KMS v2 provider (envelopekmsv2.State): its transformer, the EncryptedObject fields every
 * value written with it carries (key ID, wrapped seed, annotations, source type; {@code encryptedData} unused),
 * the uid of the Encrypt call that wrapped it, until when it may encrypt, and its cache key. {@link #EMPTY} until
 * the plugin first answers.
 */
record KmsV2State(
        ValueTransformer transformer, EncryptedObject header, String uid, Instant expiration, byte[] cacheKey) {
    static final KmsV2State EMPTY = new KmsV2State(null, null, "", null, new byte[0]);

    KmsV2State withExpiration(Instant expiration) {
        return new KmsV2State(transformer, header, uid, expiration, cacheKey);
    }
}
