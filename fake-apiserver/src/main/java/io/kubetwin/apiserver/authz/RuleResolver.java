package io.kubetwin.apiserver.authz;

import io.kubetwin.auth.attributes.UserInfo;

/**
 * Lists what a user may do in a namespace, for SelfSubjectRulesReview. Mirrors authorizer.RuleResolver in
 * k8s.io/apiserver/pkg/authorization/authorizer/interfaces.go.
 *
 * <p>Called from request handlers on any thread, concurrently: implementations must be thread-safe and must not
 * block. Rule-resolution problems (a binding to a missing role) are reported inside the result, not thrown.
 */
public interface RuleResolver {
    /**
     * @param user      the subject
     * @param namespace the namespace asked about ("" for cluster-scoped rules only)
     * @return the rules, whether the list is incomplete, and any resolution errors
     */
    SubjectRules rulesFor(UserInfo user, String namespace);
}
