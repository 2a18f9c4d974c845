package io.kubetwin.apiserver.authz;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;

/**
 * The AlwaysDeny mode. Upstream it answers NoOpinion (not Deny) with the reason {@code Everything is forbidden.},
 * so the request is refused only if no later mode allows it, and the reason ends up in the 403 message.
 * Mirrors alwaysDenyAuthorizer in k8s.io/apiserver/pkg/authorization/authorizerfactory/builtin.go.
 */
public final class AlwaysDenyAuthorizer implements Authorizer, RuleResolver {
    public static final String REASON = "Everything is forbidden.";

    @Override
    public Decision authorize(Attributes attributes) {
        return Decision.noOpinion(REASON);
    }

    @Override
    public SubjectRules rulesFor(UserInfo user, String namespace) {
        return SubjectRules.none();
    }
}
