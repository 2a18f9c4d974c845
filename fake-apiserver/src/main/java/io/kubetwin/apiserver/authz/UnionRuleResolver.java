package io.kubetwin.apiserver.authz;

import io.kubetwin.auth.attributes.UserInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Concatenates the rules of several resolvers in order; incomplete if any is, errors collected from all.
 * Mirrors unionAuthzRulesHandler in k8s.io/apiserver/pkg/authorization/union/union.go.
 */
public final class UnionRuleResolver implements RuleResolver {
    private final List<RuleResolver> resolvers;

    public UnionRuleResolver(List<? extends RuleResolver> resolvers) {
        this.resolvers = List.copyOf(resolvers);
    }

    @Override
    public SubjectRules rulesFor(UserInfo user, String namespace) {
        List<SubjectRules.ResourceRule> resource = new ArrayList<>();
        List<SubjectRules.NonResourceRule> nonResource = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        boolean incomplete = false;
        for (RuleResolver resolver : resolvers) {
            SubjectRules rules = resolver.rulesFor(user, namespace);
            incomplete |= rules.incomplete();
            resource.addAll(rules.resourceRules());
            nonResource.addAll(rules.nonResourceRules());
            errors.addAll(rules.errors());
        }
        return new SubjectRules(resource, nonResource, incomplete, errors);
    }
}
