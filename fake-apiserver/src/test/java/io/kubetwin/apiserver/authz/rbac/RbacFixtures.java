package io.kubetwin.apiserver.authz.rbac;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;

/** Small builders for RBAC tests: {@code binding("ns1", "admin", user("alice"))}. */
final class RbacFixtures {
    private RbacFixtures() {}

    static Subject user(String name) {
        return Subject.user(name);
    }

    static Subject group(String name) {
        return Subject.group(name);
    }

    static Subject sa(String namespace, String name) {
        return Subject.serviceAccount(namespace, name);
    }

    static UserInfo who(String name, String... groups) {
        return UserInfo.of(name, groups);
    }

    static PolicyRule rule(String verb, String group, String resource) {
        return PolicyRule.rule(verb, group, resource);
    }

    /** A RoleBinding named {@code role} in {@code ns}, granting the ClusterRole {@code role}. */
    static RoleBinding binding(String ns, String role, Subject... subjects) {
        return RoleBinding.of(ns, role, RoleRef.clusterRole(role), subjects);
    }

    /** A ClusterRoleBinding named {@code name} granting the ClusterRole {@code role}. */
    static ClusterRoleBinding clusterBinding(String name, String role, Subject... subjects) {
        return ClusterRoleBinding.of(name, RoleRef.clusterRole(role), subjects);
    }

    static Attributes request(UserInfo user, String verb, String group, String resource, String ns) {
        return Attributes.resource(user, verb, group, resource, "", ns, "");
    }

    static Attributes path(UserInfo user, String verb, String path) {
        return Attributes.nonResource(user, verb, path);
    }

    /** An index holding these typed objects (ClusterRole, Role, ClusterRoleBinding, RoleBinding). */
    static RbacPolicyIndex index(Object... objects) {
        RbacPolicyIndex index = new RbacPolicyIndex();
        for (Object o : objects) {
            if (o instanceof ClusterRole r) {
                index.put(r);
            } else if (o instanceof Role r) {
                index.put(r);
            } else if (o instanceof ClusterRoleBinding b) {
                index.put(b);
            } else if (o instanceof RoleBinding b) {
                index.put(b);
            } else {
                throw new IllegalArgumentException(String.valueOf(o));
            }
        }
        return index;
    }
}
