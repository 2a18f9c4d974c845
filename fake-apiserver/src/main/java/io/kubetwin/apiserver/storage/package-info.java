/**
 * Object storage behind the registry: the {@link io.kubetwin.apiserver.storage.Storage} interface and its
 * in-memory implementation. The etcd-style TLS store implements the same interface.
 */
package io.kubetwin.apiserver.storage;
