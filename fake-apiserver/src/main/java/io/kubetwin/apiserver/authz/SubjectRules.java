package io.kubetwin.apiserver.authz;

import io.kubetwin.pki.GoText;
import java.util.List;

/**
 * The answer of a {@link RuleResolver}: the status of a SelfSubjectRulesReview before serialisation.
 *
 * @param errors flat list of resolution-error messages; {@link #evaluationError()} prints them as Go does
 */
public record SubjectRules(
        List<ResourceRule> resourceRules,
        List<NonResourceRule> nonResourceRules,
        boolean incomplete,
        List<String> errors) {

    public SubjectRules {
        resourceRules = List.copyOf(resourceRules);
        nonResourceRules = List.copyOf(nonResourceRules);
        errors = List.copyOf(errors);
    }

    public static SubjectRules none() {
        return new SubjectRules(List.of(), List.of(), false, List.of());
    }

    /** status.evaluationError: "" when resolution had no errors. */
    public String evaluationError() {
        return GoText.aggregate(errors);
    }

    /** authorizationv1.ResourceRule. */
    public record ResourceRule(
            List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames) {
        public ResourceRule {
            verbs = List.copyOf(verbs);
            apiGroups = List.copyOf(apiGroups);
            resources = List.copyOf(resources);
            resourceNames = List.copyOf(resourceNames);
        }
    }

    /** authorizationv1.NonResourceRule. */
    public record NonResourceRule(List<String> verbs, List<String> nonResourceURLs) {
        public NonResourceRule {
            verbs = List.copyOf(verbs);
            nonResourceURLs = List.copyOf(nonResourceURLs);
        }
    }
}
