package io.kubetwin.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a store that keeps bytes (etcd) turns objects into values and back, in the role of kube-apiserver's storage
 * codec (k8s.io/apiserver/pkg/server/storage: the storage media type and serializer of each resource). Applied before
 * the {@link ValueTransformer}, so encryption at rest sees the encoded value.
 *
 * <p>Implementations are pure and thread-safe.
 */
public interface ObjectCodec {
    /** The value for an object (with its apiVersion and kind; the resourceVersion is already removed). */
    byte[] encode(ObjectNode object);

    /**
     * The object a value holds, with its apiVersion and kind.
     *
     * @throws IllegalArgumentException with the reason when the value cannot be decoded
     */
    ObjectNode decode(byte[] value);
}
