/**
 * The etcd-style multi-version key-value store: a global revision numbered as etcd numbers it, ranges, puts,
 * deletes, transactions, compaction, watches and leases over a durable {@link io.kubetwin.etcd.mvcc.Backend}.
 * Requests and answers are etcd's own protobuf messages, so that the gRPC services and an embedding process
 * (the fake apiserver's storage) call the same {@link io.kubetwin.etcd.mvcc.EtcdStore}. Writes reach the backend
 * through a {@code Committer}: concurrent writes are committed together, one transaction and one sync to disk for
 * each round, each write with its own revision ({@code GroupCommitter}).
 */
package io.kubetwin.etcd.mvcc;
