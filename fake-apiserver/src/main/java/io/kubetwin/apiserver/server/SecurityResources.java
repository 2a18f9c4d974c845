package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.admission.AdmissionChain;
import io.kubetwin.apiserver.authn.AuthenticatorChain;
import io.kubetwin.apiserver.authn.TokenReviewer;
import io.kubetwin.apiserver.authn.review.SelfSubjectReviewResource;
import io.kubetwin.apiserver.authn.review.TokenReviewResource;
import io.kubetwin.apiserver.authn.serviceaccount.ServiceAccountTokenIssuer;
import io.kubetwin.apiserver.authn.serviceaccount.TokenRequestResource;
import io.kubetwin.apiserver.authz.RuleResolver;
import io.kubetwin.apiserver.authz.review.LocalSubjectAccessReviewResource;
import io.kubetwin.apiserver.authz.review.SelfSubjectAccessReviewResource;
import io.kubetwin.apiserver.authz.review.SelfSubjectRulesReviewResource;
import io.kubetwin.apiserver.authz.review.SubjectAccessReviewResource;
import io.kubetwin.apiserver.registry.VirtualResources;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.auth.authz.Authorizer;
import java.time.Clock;

/**
 * Registers the resources served by code rather than storage: the authentication and authorization
 * review APIs and TokenRequest ({@code serviceaccounts/token}).
 */
final class SecurityResources {
    private SecurityResources() {}

    record Context(
            AuthenticatorChain authenticator,
            Authorizer authorizer,
            RuleResolver rules,
            ServiceAccountTokenIssuer tokenIssuer,
            Storage storage,
            AdmissionChain tokenRequestAdmission,
            boolean tokenRequestUidValidation,
            Clock clock) {}

    static void register(VirtualResources resources, Context context) {
        String authn = "authentication.k8s.io";
        String authz = "authorization.k8s.io";
        Clock clock = context.clock();
        // TokenReview runs the token through the server's own authenticator, asked for the API audiences by default
        resources.register(
                authn,
                "tokenreviews",
                "",
                new TokenReviewResource(
                        new TokenReviewer(
                                context.authenticator(), context.authenticator().apiAudiences()),
                        clock));
        resources.register(authn, "selfsubjectreviews", "", new SelfSubjectReviewResource(clock));
        resources.register(
                authz, "subjectaccessreviews", "", new SubjectAccessReviewResource(context.authorizer(), clock));
        resources.register(
                authz,
                "localsubjectaccessreviews",
                "",
                new LocalSubjectAccessReviewResource(context.authorizer(), clock));
        resources.register(
                authz,
                "selfsubjectaccessreviews",
                "",
                new SelfSubjectAccessReviewResource(context.authorizer(), clock));
        resources.register(
                authz, "selfsubjectrulesreviews", "", new SelfSubjectRulesReviewResource(context.rules(), clock));
        resources.register(
                "",
                "serviceaccounts",
                "token",
                new TokenRequestResource(
                        context.tokenIssuer(),
                        context.storage(),
                        context.tokenRequestAdmission(),
                        context.tokenRequestUidValidation(),
                        clock));
    }
}
