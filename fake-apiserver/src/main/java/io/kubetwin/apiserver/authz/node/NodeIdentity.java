package io.kubetwin.apiserver.authz.node;

import io.kubetwin.auth.attributes.UserInfo;
import java.util.Optional;

/**
 * Who is a kubelet, as pkg/auth/nodeidentifier/default.go decides: a user named {@code system:node:<name>} in the
 * group {@code system:nodes}. The name may be empty ({@code system:node:}): a node, but not an identifiable one,
 * which the Node authorizer and NodeRestriction both refuse. Stateless.
 */
public final class NodeIdentity {
    public static final String USER_PREFIX = "system:node:";

    private NodeIdentity() {}

    /** The node name ("" when unidentifiable), or empty when the user is not a node at all. */
    public static Optional<String> nodeName(UserInfo user) {
        if (user == null || !user.name().startsWith(USER_PREFIX) || !user.inGroup(UserInfo.NODES_GROUP)) {
            return Optional.empty();
        }
        return Optional.of(user.name().substring(USER_PREFIX.length()));
    }
}
