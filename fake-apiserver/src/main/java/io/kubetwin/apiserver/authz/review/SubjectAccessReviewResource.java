package io.kubetwin.apiserver.authz.review;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.virtual.VirtualCreate;
import io.kubetwin.auth.authz.Authorizer;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/**
 * {@code POST /apis/authorization.k8s.io/v1/subjectaccessreviews}, as
 * pkg/registry/authorization/subjectaccessreview/rest.go serves it: the spec and an empty metadata are
 * validated (422), the user described by {@code spec.user/groups/extra/uid} is put to the server's authorizer,
 * and the decoded object comes back with {@code status} replaced. Answers 201. Thread-safe.
 */
public final class SubjectAccessReviewResource implements VirtualResource {
    private final Authorizer authorizer;
    private final Clock clock;

    public SubjectAccessReviewResource(Authorizer authorizer, Clock clock) {
        this.authorizer = authorizer;
        this.clock = clock;
    }

    @Override
    public BodyKind bodyKind() {
        return new BodyKind(AuthorizationTypes.GROUP, "v1", "SubjectAccessReview");
    }

    @Override
    public Future<Answer> handle(Call call) {
        ObjectNode review = VirtualCreate.decode(call, AuthorizationTypes.SUBJECT_ACCESS_REVIEW, clock.instant());
        AccessReviewSpec spec = AccessReviewSpec.from(review.get("spec"));
        List<FieldError> errs = AccessReviewValidation.spec(spec, false);
        AccessReviewValidation.metadata(review.get("metadata"), false, errs);
        if (!errs.isEmpty()) {
            throw FieldError.invalid(AuthorizationTypes.GROUP, "", "", errs);
        }
        review.set("status", ReviewAttributes.review(authorizer, ReviewAttributes.subject(spec), spec));
        return Future.succeededFuture(new Answer(201, AuthorizationTypes.SUBJECT_ACCESS_REVIEW.encode(review)));
    }
}
