/**
 * The fake apiserver's objects in an etcd v3 store, as kube-apiserver keeps them
 * (k8s.io/apiserver/pkg/storage/etcd3 and the cacher in front of it): {@link
 * io.kubetwin.apiserver.storage.etcd.EtcdStorage} speaks etcd's gRPC API to a real etcd cluster, to the
 * kubetwin fake etcd, or to an embedded fake-etcd store in the same process ({@link
 * io.kubetwin.apiserver.storage.etcd.EmbeddedEtcd}); keys are upstream's ({@link
 * io.kubetwin.apiserver.storage.etcd.RegistryKeys}), resourceVersion is the etcd revision, and one etcd watch
 * per server feeds every local watch, as the watch cache does.
 */
package io.kubetwin.apiserver.storage.etcd;
