/**
 * The store benchmark: put, range and watch against the kubetwin fake etcd and the real etcd v3.6.4, both as
 * processes on this machine over mTLS, at several client counts ({@link io.kubetwin.bench.store.StoreBenchMain}).
 */
package io.kubetwin.bench.store;
