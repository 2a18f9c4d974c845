package io.kubetwin.apiserver.authz.rbac;

import io.kubetwin.auth.attributes.UserInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the rules that apply to a user in a namespace: those of every ClusterRoleBinding naming the user, then,
 * for a non-empty namespace, those of every RoleBinding of that namespace naming the user. Mirrors
 * DefaultRuleResolver in pkg/registry/rbac/validation/rule.go. Bindings are visited sorted by name (see
 * {@link RbacPolicyIndex}); rules in role order.
 *
 * <p>Errors resolving a role reference are reported, not thrown: rules are purely additive, so the rules found are
 * still valid. Immutable and thread-safe; cheap to create per request.
 */
public final class BindingRuleWalker {
    /** Receives each rule (source and rule set, error null) or each error (source and rule null). */
    @FunctionalInterface
    public interface Visitor {
        /** @return false to stop visiting */
        boolean visit(RuleSource source, PolicyRule rule, ResolutionError error);
    }

    /** The outcome of resolving one role reference. */
    public sealed interface RoleRules {
        record Found(List<PolicyRule> rules) implements RoleRules {}

        record Failed(ResolutionError error) implements RoleRules {}
    }

    /** All rules found, in visiting order, and the resolution errors met on the way. */
    public record Rules(List<PolicyRule> rules, List<ResolutionError> errors) {
        public Rules {
            rules = List.copyOf(rules);
            errors = List.copyOf(errors);
        }

        public List<String> errorMessages() {
            return errors.stream().map(ResolutionError::message).toList();
        }
    }

    private final RbacPolicyIndex index;
    private final String errorGroup;
    /** "" selects the informer wording; otherwise the registry wording with this request resource. */
    private final String errorResource;

    private BindingRuleWalker(RbacPolicyIndex index, String errorGroup, String errorResource) {
        this.index = index;
        this.errorGroup = errorGroup;
        this.errorResource = errorResource;
    }

    /** As the RBAC authorizer resolves (informer listers): {@code role.rbac.authorization.k8s.io "x" not found}. */
    public static BindingRuleWalker forAuthorizer(RbacPolicyIndex index) {
        return new BindingRuleWalker(index, Rbac.GROUP, "");
    }

    /**
     * As the RBAC registry resolves while serving a write to {@code group/resource} (storage reads, whose NotFound
     * names the request's resource): {@code roles.rbac.authorization.k8s.io "x" not found}.
     */
    public static BindingRuleWalker forRegistry(RbacPolicyIndex index, String group, String resource) {
        return new BindingRuleWalker(index, group, resource);
    }

    public Rules rulesFor(UserInfo user, String namespace) {
        List<PolicyRule> rules = new ArrayList<>();
        List<ResolutionError> errors = new ArrayList<>();
        visitRulesFor(user, namespace, (source, rule, error) -> {
            if (rule != null) {
                rules.add(rule);
            }
            if (error != null) {
                errors.add(error);
            }
            return true;
        });
        return new Rules(rules, errors);
    }

    public void visitRulesFor(UserInfo user, String namespace, Visitor visitor) {
        for (ClusterRoleBinding binding : index.clusterRoleBindingsFor(user)) {
            Subject subject = firstApplying(user, binding.subjects(), "");
            if (subject == null) {
                continue;
            }
            RoleRules resolved = roleReferenceRules(binding.roleRef(), "");
            if (resolved instanceof RoleRules.Failed failed) {
                if (!visitor.visit(null, null, failed.error())) {
                    return;
                }
                continue;
            }
            RuleSource source = new RuleSource.FromClusterRoleBinding(binding, subject);
            for (PolicyRule rule : ((RoleRules.Found) resolved).rules()) {
                if (!visitor.visit(source, rule, null)) {
                    return;
                }
            }
        }
        if (namespace == null || namespace.isEmpty()) {
            return;
        }
        for (RoleBinding binding : index.roleBindingsFor(user, namespace)) {
            Subject subject = firstApplying(user, binding.subjects(), namespace);
            if (subject == null) {
                continue;
            }
            RoleRules resolved = roleReferenceRules(binding.roleRef(), namespace);
            if (resolved instanceof RoleRules.Failed failed) {
                if (!visitor.visit(null, null, failed.error())) {
                    return;
                }
                continue;
            }
            RuleSource source = new RuleSource.FromRoleBinding(binding, subject);
            for (PolicyRule rule : ((RoleRules.Found) resolved).rules()) {
                if (!visitor.visit(source, rule, null)) {
                    return;
                }
            }
        }
    }

    /** GetRoleReferenceRules: the rules of the referenced Role (in {@code bindingNamespace}) or ClusterRole. */
    public RoleRules roleReferenceRules(RoleRef ref, String bindingNamespace) {
        switch (ref.kind()) {
            case RoleRef.ROLE -> {
                if (bindingNamespace.isEmpty() && !errorResource.isEmpty()) {
                    return new RoleRules.Failed(new ResolutionError.NamespaceRequired());
                }
                return index.role(bindingNamespace, ref.name())
                        .<RoleRules>map(r -> new RoleRules.Found(r.rules()))
                        .orElseGet(() -> new RoleRules.Failed(notFound("role", ref.name())));
            }
            case RoleRef.CLUSTER_ROLE -> {
                return index.clusterRole(ref.name())
                        .<RoleRules>map(r -> new RoleRules.Found(r.rules()))
                        .orElseGet(() -> new RoleRules.Failed(notFound("clusterrole", ref.name())));
            }
            default -> {
                return new RoleRules.Failed(new ResolutionError.UnsupportedKind(ref.kind()));
            }
        }
    }

    private ResolutionError notFound(String listerResource, String name) {
        return new ResolutionError.RoleNotFound(
                errorGroup, errorResource.isEmpty() ? listerResource : errorResource, name);
    }

    /** appliesTo: the first subject naming the user, or null. */
    static Subject firstApplying(UserInfo user, List<Subject> subjects, String namespace) {
        for (Subject subject : subjects) {
            if (subject.appliesTo(user, namespace)) {
                return subject;
            }
        }
        return null;
    }
}
