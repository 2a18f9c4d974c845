package io.kubetwin.kubelet.authn;

import java.util.List;
import java.util.Map;

/**
 * An authenticated caller, as k8s.io/apiserver/pkg/authentication/user.DefaultInfo.
 *
 * @param name   the user name, e.g. {@code system:anonymous} or a certificate's CN
 * @param uid    the user's UID, "" when none
 * @param groups the groups in the order the authenticator produced them
 * @param extra  extra attributes (for a TokenReview user: {@code status.user.extra})
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
    public static final String ANONYMOUS = "system:anonymous";
    public static final String UNAUTHENTICATED = "system:unauthenticated";
    public static final String AUTHENTICATED = "system:authenticated";

    public UserInfo {
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups == null ? List.of() : groups);
        extra = Map.copyOf(extra == null ? Map.of() : extra);
    }

    public static UserInfo of(String name, String... groups) {
        return new UserInfo(name, "", List.of(groups), Map.of());
    }

    public UserInfo withGroups(List<String> newGroups) {
        return new UserInfo(name, uid, newGroups, extra);
    }
}
