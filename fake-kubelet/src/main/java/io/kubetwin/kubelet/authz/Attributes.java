package io.kubetwin.kubelet.authz;

import io.kubetwin.kubelet.authn.UserInfo;

/**
 * The authorization attributes of one kubelet API request for one candidate subresource
 * (upstream authorizer.AttributesRecord as pkg/kubelet/server/auth.go fills it): always a resource request
 * for {@code nodes/<node name>} in the core group, version v1, no namespace.
 */
public record Attributes(UserInfo user, String verb, String subresource, String nodeName, String path) {
    public static final String RESOURCE = "nodes";
    public static final String API_VERSION = "v1";
}
