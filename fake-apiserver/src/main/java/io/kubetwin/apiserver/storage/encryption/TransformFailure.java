package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.apiserver.storage.StorageException;

/**
 * The failure of a transformer, as the {@link StorageException} the store passes on: kube-apiserver answers a value
 * it cannot decrypt with a 500 whose message is the transformer's error ("Internal error occurred: no matching
 * prefix found"), which is what {@link StorageException.Reason#UNAVAILABLE} becomes in the registry. The object's
 * key is not known here; the store has it.
 */
final class TransformFailure {
    private TransformFailure() {}

    static StorageException of(String message) {
        return new StorageException(StorageException.Reason.UNAVAILABLE, null, message);
    }
}
