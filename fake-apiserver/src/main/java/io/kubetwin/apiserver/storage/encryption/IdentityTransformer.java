package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.apiserver.storage.ValueTransformer;
import java.nio.charset.StandardCharsets;

/**
 * The {@code identity} provider (identity.NewEncryptCheckTransformer): values are stored as they are, but a value
 * that starts with {@code k8s:enc:} is encrypted data it must not pass off as plain. Also what a resource no rule
 * covers gets once a configuration is given.
 */
final class IdentityTransformer implements ValueTransformer {
    static final IdentityTransformer INSTANCE = new IdentityTransformer();
    private static final byte[] ENCRYPTED = "k8s:enc:".getBytes(StandardCharsets.US_ASCII);

    private IdentityTransformer() {}

    @Override
    public byte[] toStorage(byte[] plain, String storageKey) {
        return plain;
    }

    @Override
    public Transformed fromStorage(byte[] stored, String storageKey) {
        if (PrefixTransformers.startsWith(stored, ENCRYPTED)) {
            throw TransformFailure.of("identity transformer tried to read encrypted data");
        }
        return new Transformed(stored, false);
    }
}
