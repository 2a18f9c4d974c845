package io.kubetwin.auth.attributes;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An authenticated identity, as k8s.io/apiserver/pkg/authentication/user.Info.
 * Immutable; group order is significant (it is printed in audit events and errors).
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    public static final String ANONYMOUS = "system:anonymous";
    public static final String ALL_AUTHENTICATED = "system:authenticated";
    public static final String ALL_UNAUTHENTICATED = "system:unauthenticated";
    public static final String SYSTEM_PRIVILEGED_GROUP = "system:masters";
    public static final String NODES_GROUP = "system:nodes";
    public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    public static final String SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";

    public UserInfo {
        Objects.requireNonNull(name, "name");
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups == null ? List.of() : groups);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public static UserInfo of(String name, String... groups) {
        return new UserInfo(name, "", List.of(groups), Map.of());
    }

    public static UserInfo anonymous() {
        return new UserInfo(ANONYMOUS, "", List.of(ALL_UNAUTHENTICATED), Map.of());
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }

    public UserInfo withGroups(List<String> newGroups) {
        return new UserInfo(name, uid, newGroups, extra);
    }
}
