package io.kubetwin.apiserver.authz.review;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.virtual.GoValues;
import io.kubetwin.apiserver.registry.virtual.VirtualCreate;
import io.kubetwin.auth.authz.Authorizer;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/**
 * {@code POST /apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews}, as
 * pkg/registry/authorization/localsubjectaccessreview/rest.go serves it: a SubjectAccessReview confined to the
 * URL's namespace. {@code metadata.namespace} is taken from the URL (a different one is a 400);
 * {@code spec.resourceAttributes.namespace} must equal it and non-resource attributes are refused (422). The
 * namespace need not exist. Answers 201. Thread-safe.
 */
public final class LocalSubjectAccessReviewResource implements VirtualResource {
    private final Authorizer authorizer;
    private final Clock clock;

    public LocalSubjectAccessReviewResource(Authorizer authorizer, Clock clock) {
        this.authorizer = authorizer;
        this.clock = clock;
    }

    @Override
    public BodyKind bodyKind() {
        return new BodyKind(AuthorizationTypes.GROUP, "v1", "LocalSubjectAccessReview");
    }

    @Override
    public Future<Answer> handle(Call call) {
        ObjectNode review = VirtualCreate.decode(call, AuthorizationTypes.LOCAL_SUBJECT_ACCESS_REVIEW, clock.instant());
        AccessReviewSpec spec = AccessReviewSpec.from(review.get("spec"));
        List<FieldError> errs = AccessReviewValidation.spec(spec, false);
        AccessReviewValidation.metadata(review.get("metadata"), true, errs);
        String namespace = GoValues.text(review.get("metadata"), "namespace");
        if (spec.resource() != null && !spec.resource().namespace().equals(namespace)) {
            errs.add(FieldError.invalid(
                    "spec.resourceAttributes.namespace", spec.resource().namespace(), "must match metadata.namespace"));
        }
        if (spec.nonResource() != null) {
            errs.add(FieldError.invalid(
                    "spec.nonResourceAttributes",
                    spec.nonResource().asGoStruct(),
                    "disallowed on this kind of request"));
        }
        if (!errs.isEmpty()) {
            throw FieldError.invalid(AuthorizationTypes.GROUP, "", "", errs);
        }
        review.set("status", ReviewAttributes.review(authorizer, ReviewAttributes.subject(spec), spec));
        return Future.succeededFuture(new Answer(201, AuthorizationTypes.LOCAL_SUBJECT_ACCESS_REVIEW.encode(review)));
    }
}
