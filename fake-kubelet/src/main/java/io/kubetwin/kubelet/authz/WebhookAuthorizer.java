package io.kubetwin.kubelet.authz;

import io.vertx.core.Future;

/**
 * {@code --authorization-mode=Webhook}: one SubjectAccessReview per attributes, read as
 * k8s.io/apiserver/plugin/pkg/authorizer/webhook/webhook.go reads the answer: {@code allowed} is ALLOW,
 * {@code denied} DENY, neither NO_OPINION (which the kubelet treats as not allowed). Upstream caches
 * answers (authorized 5m, unauthorized 30s by default); this one asks every time (to do with the HTTP
 * reviewer). Thread-safe.
 */
public final class WebhookAuthorizer implements Authorizer {
    private final SubjectAccessReviewer reviewer;

    public WebhookAuthorizer(SubjectAccessReviewer reviewer) {
        this.reviewer = reviewer;
    }

    @Override
    public Future<Decision> authorize(Attributes attributes) {
        return reviewer.review(attributes)
                .map(status ->
                        status.allowed() ? Decision.ALLOW : status.denied() ? Decision.DENY : Decision.NO_OPINION);
    }
}
