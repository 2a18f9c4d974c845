package io.kubetwin.apiserver.storage.encryption.kms;

import java.util.Map;

/**
 * A KMS v2 plugin as the envelope transformer sees it (k8s.io/kms/pkg/service.Service): wraps and unwraps DEKs and
 * reports its health and current key. Calls block for at most the provider's timeout. Thread-safe.
 */
public interface KmsService extends AutoCloseable {

    /** The plugin's status; throws {@link KmsException} with Go's text on failure. */
    KmsMessages.StatusResponse status();

    /** Wraps {@code plaintext} (a DEK or seed); throws {@link KmsException} with Go's text on failure. */
    KmsMessages.EncryptResponse encrypt(String uid, byte[] plaintext);

    /** Unwraps a DEK or seed; throws {@link KmsException} with Go's text on failure. */
    byte[] decrypt(String uid, byte[] ciphertext, String keyId, Map<String, byte[]> annotations);

    /** Releases the connection. */
    @Override
    void close();

    /** A failed call, with the error text kube-apiserver's Go client would have (rpc error: code = ... desc = ...). */
    final class KmsException extends RuntimeException {
        public KmsException(String message) {
            super(message, null, false, false);
        }
    }
}
