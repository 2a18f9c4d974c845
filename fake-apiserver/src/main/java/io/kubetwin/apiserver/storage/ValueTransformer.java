package io.kubetwin.apiserver.storage;

/**
 * How an object's bytes are changed on their way into and out of the store (upstream's
 * value.Transformer, k8s.io/apiserver/pkg/storage/value): identity, or encryption at rest from
 * {@code --encryption-provider-config}. The storage key is passed because upstream binds it to the
 * ciphertext as authenticated data (AES-GCM), so a value copied to another key does not decrypt.
 *
 * <p>Implementations are thread-safe and must not block the event loop for long (no I/O).
 */
public interface ValueTransformer {

    /** The bytes to store for {@code plain}, written under {@code storageKey} (the full etcd key). */
    byte[] toStorage(byte[] plain, String storageKey);

    /**
     * The plain bytes of {@code stored}, read from {@code storageKey}. Throws
     * {@link StorageException} when the value cannot be decoded (unknown key name, wrong key, corrupt).
     */
    Transformed fromStorage(byte[] stored, String storageKey);

    /**
     * @param plain the decoded value
     * @param stale whether the value was written with a key or provider other than the current write
     *     provider, so that a storage migration (a no-op update) should rewrite it, as upstream reports
     */
    record Transformed(byte[] plain, boolean stale) {}

    /** Values stored as they are (no encryption configured, or the identity provider first). */
    ValueTransformer IDENTITY = new ValueTransformer() {
        @Override
        public byte[] toStorage(byte[] plain, String storageKey) {
            return plain;
        }

        @Override
        public Transformed fromStorage(byte[] stored, String storageKey) {
            return new Transformed(stored, false);
        }
    };
}
