/**
 * Support for {@link io.kubetwin.apiserver.registry.VirtualResource}s that take a body: the part of
 * kube-apiserver's create handler that runs before a storage-less REST {@code Create}
 * ({@link io.kubetwin.apiserver.registry.virtual.VirtualCreate}: options, decoding, defaults, namespace,
 * managedFields). Kinds are described by {@link io.kubetwin.apiserver.registry.virtual.GoType} schemas, from
 * which the JSON decoder ({@link io.kubetwin.apiserver.registry.virtual.GoJsonDecoder}: Go's error texts and
 * strict-decoding errors) and the {@code encoding/json} writer ({@link io.kubetwin.apiserver.registry.virtual.GoValues})
 * work, so responses echo exactly what the Go types would. Protobuf bodies are decoded by the registry's codec
 * and then read through the same schema.
 */
package io.kubetwin.apiserver.registry.virtual;
