/**
 * The fake kubelet in a cluster: Node registration and status ({@link io.kubetwin.kubelet.node.KubeletNode}) and
 * the pods bound to the node from the apiserver ({@link io.kubetwin.kubelet.node.ApiserverPodSource}), all with the
 * kubeconfig's node identity.
 */
package io.kubetwin.kubelet.node;
