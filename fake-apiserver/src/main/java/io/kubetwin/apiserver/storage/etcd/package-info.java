/**
 * The fake apiserver's objects in an etcd v3 store, as kube-apiserver keeps them
 * (k8s.io/apiserver/pkg/storage/etcd3 and the cacher in front of it): {@link
 * io.kubetwin.apiserver.storage.etcd.EtcdStorage} speaks etcd's gRPC API to a real etcd cluster, to the
 * kubetwin fake etcd, or to an embedded fake-etcd store in the same process ({@link
 * io.kubetwin.apiserver.storage.etcd.EmbeddedEtcd}); keys are upstream's ({@link
 * io.kubetwin.apiserver.storage.etcd.RegistryKeys}), resourceVersion is the etcd revision, and one etcd watch
 * per server feeds every local watch, as the watch cache does. What kube-apiserver does to etcd besides reads and
 * writes is here too: the compactor's {@code compact_rev_key} rounds ({@link
 * io.kubetwin.apiserver.storage.etcd.Compactor}) and the leases of Events ({@link
 * io.kubetwin.apiserver.storage.etcd.LeaseManager}), configured by {@link io.kubetwin.apiserver.storage.etcd.EtcdOptions}.
 */
package io.kubetwin.apiserver.storage.etcd;
