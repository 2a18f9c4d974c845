/**
 * The apiserver's client of kubelets (pkg/kubelet/client, pkg/registry/core/pod/rest/log.go): where a node's
 * kubelet is reached ({@link io.kubetwin.apiserver.kubelet.NodeConnection}), with which credentials
 * ({@link io.kubetwin.apiserver.kubelet.KubeletClientOptions}, {@link io.kubetwin.apiserver.kubelet.KubeletTransport}),
 * and the {@code pods/log} subresource served through it ({@link io.kubetwin.apiserver.kubelet.PodLogResource}).
 */
package io.kubetwin.apiserver.kubelet;
