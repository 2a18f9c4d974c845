/**
 * The kubelet's streaming endpoints ({@code /exec}, {@code /attach}, {@code /run}, {@code /portForward}) over
 * the WebSocket channel protocols of k8s.io/kubelet/pkg/cri/streaming, with simulated containers whose commands
 * answer deterministically ({@link io.kubetwin.kubelet.streaming.ContainerShell}), and port forwarding over SPDY/3.1
 * (a SPDY upgrade, or SPDY tunnelled in a WebSocket) to simulated ports
 * ({@link io.kubetwin.kubelet.streaming.ForwardedPort}).
 */
package io.kubetwin.kubelet.streaming;
