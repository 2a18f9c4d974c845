package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * A kubelet the suite needs, registered with the suite's apiserver as node {@code name}: the fake kubelet on the
 * fake target, the real kubelet (with a fake container runtime) on the reference. Both read the same
 * KubeletConfiguration file: the runner's base (ports, serving certificate, x509 client CA = the cluster CA, the
 * config-file defaults written out: anonymous off, webhook authentication on, Webhook authorization, read-only
 * port off) with {@code config} merged over it.
 *
 * @param name   the node name ({@code --hostname-override}); steps address the kubelet by it
 * @param config a {@code kubelet.config.k8s.io/v1beta1 KubeletConfiguration} fragment merged over the base, in the
 *               kubelet's own terms (e.g. {@code authentication: {anonymous: {enabled: true}}}); a non-zero
 *               {@code readOnlyPort} opens the read-only port on a free port, 0 keeps it closed
 */
public record KubeletSpec(String name, JsonNode config) {
    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public KubeletSpec {
        if (name == null || !NODE_NAME.matcher(name).matches() || name.length() > 63) {
            throw new IllegalArgumentException("a kubelet needs a node name (a DNS label): " + name);
        }
        if (config != null && !config.isNull() && !config.isObject()) {
            throw new IllegalArgumentException("kubelet " + name + ": config must be a KubeletConfiguration object");
        }
    }
}
