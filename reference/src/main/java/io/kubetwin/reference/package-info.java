/**
 * The real components that {@code ci/reference} builds from the official Go modules (etcd, kube-apiserver,
 * kube-controller-manager, etcdctl), located and started as child processes on 127.0.0.1 ephemeral ports: the one
 * launcher for the runner's reference target and for every test that compares a fake with the real thing.
 */
package io.kubetwin.reference;
