package io.kubetwin.apiserver.kubelet;

import java.nio.file.Path;
import java.util.List;

/**
 * kube-apiserver's kubelet client flags (pkg/kubeapiserver/options, KubeletConfig).
 *
 * @param clientCertificate {@code --kubelet-client-certificate}: the identity the apiserver presents to kubelets
 * @param clientKey {@code --kubelet-client-key}; with only one of the pair the apiserver presents no certificate
 *     (kube-apiserver starts with just one too, and dials kubelets without it)
 * @param certificateAuthority {@code --kubelet-certificate-authority}; null: the kubelet's serving certificate is
 *     not verified at all, as upstream (the documented man-in-the-middle exposure)
 * @param preferredAddressTypes {@code --kubelet-preferred-address-types}: the first of the node's addresses of
 *     these types, in this order, is dialled
 */
public record KubeletClientOptions(
        Path clientCertificate, Path clientKey, Path certificateAuthority, List<String> preferredAddressTypes) {
    /** Upstream's default order of {@code --kubelet-preferred-address-types}. */
    public static final List<String> DEFAULT_ADDRESS_TYPES =
            List.of("Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP");

    public KubeletClientOptions {
        preferredAddressTypes = List.copyOf(
                preferredAddressTypes == null || preferredAddressTypes.isEmpty()
                        ? DEFAULT_ADDRESS_TYPES
                        : preferredAddressTypes);
    }

    public static KubeletClientOptions defaults() {
        return new KubeletClientOptions(null, null, null, null);
    }
}
