/**
 * The fake etcd as a server: etcd's flags ({@link io.kubetwin.etcd.server.EtcdFlags}), their validation with
 * etcd's texts ({@link io.kubetwin.etcd.server.EtcdConfig}), the client and peer listeners with etcd's TLS
 * model ({@link io.kubetwin.etcd.server.FakeEtcd}) and the command line ({@link io.kubetwin.etcd.server.Main}).
 */
package io.kubetwin.etcd.server;
