/**
 * The kubelet API handlers with deterministic content: health, pods, stats, metrics, configz, node and
 * container logs. They run behind the auth filter on the authenticated port.
 */
package io.kubetwin.kubelet.endpoints;
