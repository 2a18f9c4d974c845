/**
 * Object storage behind the registry: the {@link io.kubetwin.apiserver.storage.Storage} interface and its
 * in-memory implementation {@link io.kubetwin.apiserver.storage.InMemoryStorage} (one global
 * resourceVersion counter, synchronous in-order watch listeners, a bounded history for resuming watches).
 * The etcd-backed store ({@code storage.etcd}) implements the same interface.
 */
package io.kubetwin.apiserver.storage;
