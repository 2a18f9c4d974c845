package io.kubetwin.apiserver.authz.rbac;

import io.kubetwin.pki.GoText;

/**
 * Where a rule came from: the binding and the first of its subjects that matched the user. {@link #describe()}
 * is the text after {@code RBAC: allowed by } (clusterRoleBindingDescriber / roleBindingDescriber in
 * pkg/registry/rbac/validation/rule.go).
 */
public sealed interface RuleSource {
    String describe();

    /** {@code ClusterRoleBinding "crb" of ClusterRole "role" to User "alice"}. */
    record FromClusterRoleBinding(ClusterRoleBinding binding, Subject subject) implements RuleSource {
        @Override
        public String describe() {
            return "ClusterRoleBinding " + GoText.quote(binding.name()) + " of "
                    + binding.roleRef().kind() + " "
                    + GoText.quote(binding.roleRef().name()) + " to " + subject.describe("");
        }
    }

    /** {@code RoleBinding "rb/ns" of Role "role" to Group "g"}. */
    record FromRoleBinding(RoleBinding binding, Subject subject) implements RuleSource {
        @Override
        public String describe() {
            return "RoleBinding " + GoText.quote(binding.name() + "/" + binding.namespace()) + " of "
                    + binding.roleRef().kind() + " "
                    + GoText.quote(binding.roleRef().name()) + " to "
                    + subject.describe(binding.namespace());
        }
    }
}
