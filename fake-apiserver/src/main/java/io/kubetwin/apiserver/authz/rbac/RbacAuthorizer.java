package io.kubetwin.apiserver.authz.rbac;

import io.kubetwin.apiserver.authz.RuleResolver;
import io.kubetwin.apiserver.authz.SubjectRules;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.List;

/**
 * The RBAC authorization mode. Mirrors RBACAuthorizer in plugin/pkg/auth/authorizer/rbac/rbac.go:
 * visits the user's rules (cluster role bindings first, then role bindings of the request's namespace) and allows
 * on the first matching rule with the reason {@code RBAC: allowed by <source>}. It never denies: otherwise the
 * answer is NoOpinion with reason "" or, if role references failed to resolve, {@code RBAC: <errors>}.
 *
 * <p>Thread-safe; reads {@link RbacPolicyIndex} without locking.
 */
public final class RbacAuthorizer implements Authorizer, RuleResolver {
    private final BindingRuleWalker resolver;

    public RbacAuthorizer(RbacPolicyIndex index) {
        this.resolver = BindingRuleWalker.forAuthorizer(index);
    }

    @Override
    public Decision authorize(Attributes attributes) {
        String[] reason = {null};
        List<String> errors = new ArrayList<>();
        resolver.visitRulesFor(attributes.user(), attributes.namespace(), (source, rule, error) -> {
            if (rule != null && RuleMatching.allows(attributes, rule)) {
                reason[0] = "RBAC: allowed by " + source.describe();
                return false;
            }
            if (error != null) {
                errors.add(error.message());
            }
            return true;
        });
        if (reason[0] != null) {
            return Decision.allow(reason[0]);
        }
        return Decision.noOpinion(errors.isEmpty() ? "" : "RBAC: " + GoText.aggregate(errors));
    }

    /**
     * The user's rules for SelfSubjectRulesReview: a rule with resources becomes a resource rule, a rule with
     * URLs a non-resource rule (one with both yields both). RBAC never reports itself incomplete.
     */
    @Override
    public SubjectRules rulesFor(UserInfo user, String namespace) {
        BindingRuleWalker.Rules found = resolver.rulesFor(user, namespace);
        List<SubjectRules.ResourceRule> resource = new ArrayList<>();
        List<SubjectRules.NonResourceRule> nonResource = new ArrayList<>();
        for (PolicyRule rule : found.rules()) {
            if (!rule.resources().isEmpty()) {
                resource.add(new SubjectRules.ResourceRule(
                        rule.verbs(), rule.apiGroups(), rule.resources(), rule.resourceNames()));
            }
            if (!rule.nonResourceURLs().isEmpty()) {
                nonResource.add(new SubjectRules.NonResourceRule(rule.verbs(), rule.nonResourceURLs()));
            }
        }
        return new SubjectRules(resource, nonResource, false, found.errorMessages());
    }
}
