package io.kubetwin.junit;

/**
 * A fake kubelet declared with {@link KubeTwinSettings#node(String...)}: registered with the server as node
 * {@code name} (its Node object Ready, its pods those bound to it), serving the kubelet's authenticated HTTPS API on
 * 127.0.0.1 as a kubeadm node does: no anonymous requests, bearer tokens checked by TokenReview, every request
 * authorized by a SubjectAccessReview of {@code nodes/<subresource>}, client certificates from the cluster CA, and
 * a serving certificate signed by that CA (trust {@link KubeTwinServer#caCertificatePem()}).
 *
 * @param name the node's name; the kubelet's identity is {@code system:node:NAME} in {@code system:nodes}
 * @param url the kubelet's HTTPS URL, such as {@code https://127.0.0.1:41235}
 * @param port the kubelet's port
 */
public record KubeTwinNode(String name, String url, int port) {}
