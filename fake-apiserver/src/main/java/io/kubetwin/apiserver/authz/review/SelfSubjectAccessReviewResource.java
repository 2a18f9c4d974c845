package io.kubetwin.apiserver.authz.review;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.virtual.VirtualCreate;
import io.kubetwin.auth.authz.Authorizer;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/**
 * {@code POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews} ({@code kubectl auth can-i}), as
 * pkg/registry/authorization/selfsubjectaccessreview/rest.go serves it: like a SubjectAccessReview about the
 * caller's effective user (after impersonation). Whether the caller may create the review at all was decided by
 * the authorization stage (everyone authenticated may, through {@code system:basic-user}). Answers 201.
 * Thread-safe.
 */
public final class SelfSubjectAccessReviewResource implements VirtualResource {
    private final Authorizer authorizer;
    private final Clock clock;

    public SelfSubjectAccessReviewResource(Authorizer authorizer, Clock clock) {
        this.authorizer = authorizer;
        this.clock = clock;
    }

    @Override
    public BodyKind bodyKind() {
        return new BodyKind(AuthorizationTypes.GROUP, "v1", "SelfSubjectAccessReview");
    }

    @Override
    public Future<Answer> handle(Call call) {
        ObjectNode review = VirtualCreate.decode(call, AuthorizationTypes.SELF_SUBJECT_ACCESS_REVIEW, clock.instant());
        AccessReviewSpec spec = AccessReviewSpec.from(review.get("spec"));
        List<FieldError> errs = AccessReviewValidation.spec(spec, true);
        AccessReviewValidation.metadata(review.get("metadata"), false, errs);
        if (!errs.isEmpty()) {
            throw FieldError.invalid(AuthorizationTypes.GROUP, "", "", errs);
        }
        if (call.user() == null) {
            throw Statuses.badRequest("no user present on request");
        }
        review.set("status", ReviewAttributes.review(authorizer, call.user(), spec));
        return Future.succeededFuture(new Answer(201, AuthorizationTypes.SELF_SUBJECT_ACCESS_REVIEW.encode(review)));
    }
}
