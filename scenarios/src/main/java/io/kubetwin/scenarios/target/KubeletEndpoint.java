package io.kubetwin.scenarios.target;

/**
 * A running kubelet of a cluster, as steps reach it.
 *
 * @param node        its node name
 * @param url         its HTTPS port, {@code https://127.0.0.1:PORT}
 * @param readOnlyUrl its read-only HTTP port, or null when it is closed ({@code readOnlyPort: 0})
 * @param caPem       the CA of its serving certificate (the cluster CA)
 */
public record KubeletEndpoint(String node, String url, String readOnlyUrl, String caPem) {}
