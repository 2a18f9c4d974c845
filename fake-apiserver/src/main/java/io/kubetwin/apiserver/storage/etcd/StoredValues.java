package io.kubetwin.apiserver.storage.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.ValueTransformer;
import java.io.IOException;
import java.util.function.Function;

/**
 * Objects to etcd values and back, as etcd3's store does (k8s.io/apiserver/pkg/storage/etcd3/store.go): the
 * resourceVersion is never stored (the versioner clears it) and is set from the key's mod revision on every
 * read; the value passes through the {@link ValueTransformer} (encryption at rest) with its full key.
 *
 * <p>Written values are JSON. Read values may be JSON or Kubernetes protobuf ({@code k8s\0...}, what
 * kube-apiserver writes for built-in kinds), decoded by the given protobuf decoder. Thread-safe.
 */
final class StoredValues {
    private static final byte[] PROTOBUF_MAGIC = {'k', '8', 's', 0};

    private final ObjectMapper mapper = new ObjectMapper();
    private final Function<ResourceKey, ValueTransformer> transformers;
    private final Function<byte[], ObjectNode> protobuf;

    /**
     * @param transformers the transformer of each resource (encryption at rest is configured per resource)
     * @param protobuf decodes a {@code k8s\0} value into a JSON object with apiVersion and kind; throws on failure
     */
    StoredValues(Function<ResourceKey, ValueTransformer> transformers, Function<byte[], ObjectNode> protobuf) {
        this.transformers = transformers;
        this.protobuf = protobuf;
    }

    byte[] encode(ResourceKey resource, ObjectNode object, String key) {
        ObjectNode copy = object.deepCopy();
        JsonNode metadata = copy.get("metadata");
        if (metadata instanceof ObjectNode m) {
            m.remove("resourceVersion");
        }
        try {
            return transformers.apply(resource).toStorage(mapper.writeValueAsBytes(copy), key);
        } catch (JsonProcessingException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, null, e.getMessage());
        }
    }

    /** The object stored under {@code key} at {@code modRevision}, stamped with it as its resourceVersion. */
    ObjectNode decode(ResourceKey resource, byte[] stored, String key, long modRevision) {
        byte[] plain = transformers.apply(resource).fromStorage(stored, key).plain();
        ObjectNode object;
        if (isProtobuf(plain)) {
            try {
                object = protobuf.apply(plain);
            } catch (RuntimeException e) {
                throw corrupt(key, e.getMessage());
            }
            if (object == null) {
                throw corrupt(key, "no protobuf decoder for this kind");
            }
        } else {
            try {
                JsonNode tree = mapper.readTree(plain);
                if (!(tree instanceof ObjectNode o)) {
                    throw corrupt(key, "not a JSON object");
                }
                object = o;
            } catch (IOException e) {
                throw corrupt(key, e.getMessage());
            }
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

    private static boolean isProtobuf(byte[] value) {
        if (value.length < PROTOBUF_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < PROTOBUF_MAGIC.length; i++) {
            if (value[i] != PROTOBUF_MAGIC[i]) {
                return false;
            }
        }
        return true;
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
