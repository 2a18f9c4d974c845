/**
 * The fake kubelet configuration: kubelet flags (picocli, upstream names), the KubeletConfiguration v1beta1 file,
 * their defaults and precedence, and the feature gates it knows.
 */
package io.kubetwin.kubelet.config;
