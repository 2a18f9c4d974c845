/**
 * The etcd v3 gRPC services (KV, Watch, Lease, Maintenance, Cluster) over {@link io.kubetwin.etcd.mvcc.EtcdStore},
 * thin adapters after server/etcdserver/api/v3rpc: each call goes to the store and store errors become etcd's
 * gRPC statuses in {@link io.kubetwin.etcd.grpc.GrpcErrors}.
 */
package io.kubetwin.etcd.grpc;
