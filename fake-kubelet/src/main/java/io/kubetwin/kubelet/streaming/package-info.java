/**
 * The kubelet's streaming endpoints ({@code /exec}, {@code /attach}, {@code /run}, {@code /portForward}) over
 * the WebSocket channel protocols of k8s.io/kubelet/pkg/cri/streaming, with simulated containers whose commands
 * answer deterministically ({@link io.kubetwin.kubelet.streaming.ContainerShell}).
 */
package io.kubetwin.kubelet.streaming;
