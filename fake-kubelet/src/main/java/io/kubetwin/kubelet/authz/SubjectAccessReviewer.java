package io.kubetwin.kubelet.authz;

import io.vertx.core.Future;

/**
 * The port through which the kubelet asks the apiserver whether a user may do something: a POST of an
 * authorization.k8s.io/v1 SubjectAccessReview with {@code spec.resourceAttributes} {verb, group "",
 * version v1, resource nodes, subresource, name = node} and the user's name, uid, groups and extra
 * (upstream: the webhook authorizer of k8s.io/apiserver/pkg/authorization/authorizerfactory/delegating.go).
 * The HTTP implementation is not written yet; tests use an in-memory double.
 */
public interface SubjectAccessReviewer {
    /**
     * Reviews one request. Called from event loops, concurrently: never block. A failed future means the
     * review could not be made (an authorizer error).
     */
    Future<SubjectAccessReviewStatus> review(Attributes attributes);

    /** SubjectAccessReview {@code status}. */
    record SubjectAccessReviewStatus(boolean allowed, boolean denied, String reason) {
        public static SubjectAccessReviewStatus allow() {
            return new SubjectAccessReviewStatus(true, false, "");
        }

        public static SubjectAccessReviewStatus noOpinion() {
            return new SubjectAccessReviewStatus(false, false, "");
        }
    }
}
