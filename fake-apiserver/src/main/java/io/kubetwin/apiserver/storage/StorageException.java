package io.kubetwin.apiserver.storage;

/**
 * A storage-level failure with a closed set of causes; the registry turns each into the Status error
 * kube-apiserver returns for it (storage knows nothing of HTTP or messages).
 */
public final class StorageException extends RuntimeException {
    public enum Reason {
        NOT_FOUND,
        ALREADY_EXISTS,
        CONFLICT,
        TOO_OLD_RESOURCE_VERSION,
        UNAVAILABLE
    }

    private final Reason reason;
    private final ObjectKey key;

    public StorageException(Reason reason, ObjectKey key, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.key = key;
    }

    public Reason reason() {
        return reason;
    }

    public ObjectKey key() {
        return key;
    }
}
