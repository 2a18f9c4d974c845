package io.kubetwin.apiserver.storage.encryption.kms;

import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.pki.GoText;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The KMS v2 envelope transformer (k8s.io/apiserver/pkg/storage/value/encrypt/envelope/kmsv2/envelope.go), what
 * follows the {@code k8s:enc:kms:v2:NAME:} prefix. A write encrypts with the provider's current DEK (its seed, to
 * be exact, refreshed by the provider's Status probe) and stores an {@link EncryptedObject} carrying the wrapped
 * seed, key ID and annotations; no plugin call. A read decodes the EncryptedObject, finds the DEK in the cache or
 * has the plugin decrypt it (once), and is stale when the value's key ID or source type is not the current one.
 * Errors are upstream's texts, which the store answers with a 500. Thread-safe; a read may block on the plugin
 * for up to the provider's timeout.
 */
final class KmsV2Transformer implements ValueTransformer {
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private final KmsService service;
    private final Supplier<KmsV2State> state;
    private final DekCache cache;
    private final Clock clock;
    private final Function<byte[], ValueTransformer> gcm;

    /**
     * @param state the provider's current state; throws {@link #failure} when it has none (getCurrentState)
     * @param gcm AES-GCM with a random nonce and the storage key as authenticated data, for a key (the aesgcm
     *     provider's transformer)
     */
    KmsV2Transformer(
            KmsService service,
            Supplier<KmsV2State> state,
            DekCache cache,
            Clock clock,
            Function<byte[], ValueTransformer> gcm) {
        this.service = service;
        this.state = state;
        this.cache = cache;
        this.clock = clock;
        this.gcm = gcm;
    }

    /** A transformer's failure, which the store answers with a 500 carrying the text (as TransformFailure). */
    static StorageException failure(String message) {
        return new StorageException(StorageException.Reason.UNAVAILABLE, null, message);
    }

    @Override
    public byte[] toStorage(byte[] plain, String storageKey) {
        KmsV2State current = state.get();
        Instant now = clock.instant();
        if (now.isAfter(current.expiration())) {
            // ValidateEncryptCapability: the plugin has not confirmed this DEK's key for too long
            throw failure("encryptedDEKSource with keyID hash "
                    + GoText.quote(KmsV2Provider.hash(current.header().keyId())) + " expired at "
                    + rfc3339(current.expiration()) + " (current time is " + rfc3339(now) + ")");
        }
        // a read of what this DEK writes never needs the plugin
        cache.set(current.cacheKey(), current.transformer());
        EncryptedObject object = current.header().withData(current.transformer().toStorage(plain, storageKey));
        String invalid = object.invalid();
        if (invalid != null) {
            throw failure(invalid);
        }
        return object.encode();
    }

    @Override
    public Transformed fromStorage(byte[] stored, String storageKey) {
        EncryptedObject object;
        try {
            object = EncryptedObject.decode(stored);
        } catch (IOException e) {
            throw failure(e.getMessage());
        }
        String invalid = object.invalid();
        if (invalid != null) {
            throw failure(invalid);
        }
        boolean useSeed = object.sourceType() == EncryptedObject.HKDF_SHA256_XNONCE_AES_GCM_SEED;
        KmsV2State current = state.get();
        byte[] cacheKey =
                DekCache.key(object.sourceType(), object.encryptedDekSource(), object.keyId(), object.annotations());
        ValueTransformer transformer = cache.get(cacheKey);
        if (transformer == null) {
            byte[] dek;
            try {
                dek = service.decrypt(
                        UUID.randomUUID().toString(),
                        object.encryptedDekSource(),
                        object.keyId(),
                        object.annotations());
            } catch (KmsService.KmsException e) {
                throw failure("failed to decrypt DEK, error: " + e.getMessage());
            }
            transformer = forDecryption(dek, useSeed);
            cache.set(cacheKey, transformer);
        }
        Transformed plain = transformer.fromStorage(object.encryptedData(), storageKey);
        boolean stale = plain.stale()
                || !object.keyId().equals(current.header().keyId())
                || object.sourceType() != current.header().sourceType();
        return new Transformed(plain.plain(), stale);
    }

    /** addTransformerForDecryption: a seed's derived keys, or the DEK itself (values written before KDF). */
    private ValueTransformer forDecryption(byte[] dek, boolean useSeed) {
        if (useSeed) {
            try {
                return new ExtendedNonceGcm(dek, gcm);
            } catch (IllegalArgumentException e) {
                throw failure(e.getMessage());
            }
        }
        if (dek.length != 16 && dek.length != 24 && dek.length != 32) {
            throw failure("crypto/aes: invalid key size " + dek.length);
        }
        return gcm.apply(dek);
    }

    /** time.Format(time.RFC3339) in the local zone, as Go prints time.Now(). */
    static String rfc3339(Instant t) {
        return RFC3339.format(t.atZone(ZoneId.systemDefault()));
    }
}
