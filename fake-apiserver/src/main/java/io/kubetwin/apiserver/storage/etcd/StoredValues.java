package io.kubetwin.apiserver.storage.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.ObjectCodec;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.ValueTransformer;
import java.util.function.Function;

/**
 * Objects to etcd values and back, as etcd3's store does (k8s.io/apiserver/pkg/storage/etcd3/store.go): the
 * resourceVersion is never stored (the versioner clears it) and is set from the key's mod revision on every
 * read; the object is encoded by the {@link ObjectCodec} (kube-apiserver's storage serializer: protobuf for built-in
 * kinds) and the encoded value passes through the {@link ValueTransformer} (encryption at rest) with its full key.
 * Thread-safe.
 */
final class StoredValues {
    private final Function<ResourceKey, ValueTransformer> transformers;
    private final ObjectCodec codec;

    /**
     * @param transformers the transformer of each resource (encryption at rest is configured per resource)
     * @param codec objects to values and back
     */
    StoredValues(Function<ResourceKey, ValueTransformer> transformers, ObjectCodec codec) {
        this.transformers = transformers;
        this.codec = codec;
    }

    byte[] encode(ResourceKey resource, ObjectNode object, String key) {
        ObjectNode copy = object.deepCopy();
        JsonNode metadata = copy.get("metadata");
        if (metadata instanceof ObjectNode m) {
            m.remove("resourceVersion");
        }
        byte[] value;
        try {
            value = codec.encode(copy);
        } catch (RuntimeException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, null, e.getMessage());
        }
        return transformers.apply(resource).toStorage(value, key);
    }

    /** The object stored under {@code key} at {@code modRevision}, stamped with it as its resourceVersion. */
    ObjectNode decode(ResourceKey resource, byte[] stored, String key, long modRevision) {
        byte[] plain = transformers.apply(resource).fromStorage(stored, key).plain();
        ObjectNode object;
        try {
            object = codec.decode(plain);
        } catch (RuntimeException e) {
            throw corrupt(key, e.getMessage());
        }
        JsonNode metadata = object.get("metadata");
        ObjectNode m = metadata instanceof ObjectNode mo ? mo : object.putObject("metadata");
        m.put("resourceVersion", Long.toString(modRevision));
        return object;
    }

    /** Whether the value under {@code key} was written by another provider or key than the current write one. */
    boolean stale(ResourceKey resource, byte[] stored, String key) {
        return transformers.apply(resource).fromStorage(stored, key).stale();
    }

    /** storage.NewCorruptObjError's wording. */
    private static StorageException corrupt(String key, String why) {
        return new StorageException(
                StorageException.Reason.UNAVAILABLE,
                null,
                "StorageError: corrupt object, Code: 6, Key: " + key + ", ResourceVersion: 0, AdditionalErrorMsg: "
                        + why);
    }
}
