/**
 * The apiserver's client of kubelets (pkg/kubelet/client, pkg/registry/core/pod/rest): where a node's kubelet is
 * reached ({@link io.kubetwin.apiserver.kubelet.NodeConnection}, {@code PodLocation}),
 * with which credentials ({@link io.kubetwin.apiserver.kubelet.KubeletClientOptions},
 * {@link io.kubetwin.apiserver.kubelet.KubeletTransport}), and the subresources served through it: {@code pods/log}
 * ({@link io.kubetwin.apiserver.kubelet.PodLogResource}, followed logs streamed by
 * {@code LogFollower}), {@code pods/exec}, {@code attach}, {@code portforward}
 * ({@link io.kubetwin.apiserver.kubelet.PodStreamResource}, relayed over WebSocket by
 * {@code StreamRelay}) and {@code nodes/proxy}
 * ({@link io.kubetwin.apiserver.kubelet.NodeProxyResource}).
 */
package io.kubetwin.apiserver.kubelet;
