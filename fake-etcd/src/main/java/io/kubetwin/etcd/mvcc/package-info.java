/**
 * The etcd-style multi-version key-value store: a global revision numbered as etcd numbers it, ranges, puts,
 * deletes, transactions, compaction, watches and leases over a durable {@link io.kubetwin.etcd.mvcc.Backend}.
 * Requests and answers are etcd's own protobuf messages, so that the gRPC services and an embedding process
 * (the fake apiserver's storage) call the same {@link io.kubetwin.etcd.mvcc.EtcdStore}.
 */
package io.kubetwin.etcd.mvcc;
