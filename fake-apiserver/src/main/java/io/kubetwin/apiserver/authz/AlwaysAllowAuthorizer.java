package io.kubetwin.apiserver.authz;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import java.util.List;

/**
 * The AlwaysAllow mode: every request is allowed with an empty reason, and every user holds {@code *} on
 * everything. Insecure by design; the server logs it at start-up. Mirrors alwaysAllowAuthorizer in
 * k8s.io/apiserver/pkg/authorization/authorizerfactory/builtin.go. Stateless and thread-safe.
 */
public final class AlwaysAllowAuthorizer implements Authorizer, RuleResolver {
    @Override
    public Decision authorize(Attributes attributes) {
        return Decision.allow("");
    }

    @Override
    public SubjectRules rulesFor(UserInfo user, String namespace) {
        return new SubjectRules(
                List.of(new SubjectRules.ResourceRule(List.of("*"), List.of("*"), List.of("*"), List.of())),
                List.of(new SubjectRules.NonResourceRule(List.of("*"), List.of("*"))),
                false,
                List.of());
    }
}
