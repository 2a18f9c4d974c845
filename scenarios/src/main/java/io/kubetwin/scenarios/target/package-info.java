/**
 * Targets: the clusters a suite runs against, each reduced to what the runner needs (a server URL, the CA it
 * serves with, an admin kubeconfig, optionally the client CA to issue actor certificates, the audit log and a
 * set of capabilities). {@code fake} runs the fake apiserver in-process, {@code reference} a real
 * kube-apiserver, etcd and kube-controller-manager built by {@code ci/reference/build-reference.sh}, {@code k3s}
 * a k3s container, {@code kubeconfig} any existing cluster.
 */
package io.kubetwin.scenarios.target;
