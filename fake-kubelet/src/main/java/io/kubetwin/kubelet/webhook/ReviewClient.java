package io.kubetwin.kubelet.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;

/**
 * The two reviews the kubelet's webhook modes post to the apiserver of its {@code --kubeconfig}: an
 * authentication.k8s.io/v1 TokenReview and an authorization.k8s.io/v1 SubjectAccessReview.
 * {@link ApiserverReviewClient} is the HTTPS implementation; tests may count or script the answers.
 */
public interface ReviewClient {
    /**
     * Posts a TokenReview for one non-empty token. Called from event loops: never blocks. A review the apiserver
     * refused or could not answer (network, 403, 5xx) is a failed future whose message is the error.
     */
    Future<TokenReviewStatus> tokenReview(String token);

    /**
     * Posts a SubjectAccessReview with this {@code spec} and waits for the answer: called on worker threads, as
     * upstream's authorizer blocks. No answer (network, 403, 5xx) throws {@link ReviewException}.
     */
    SubjectAccessReviewStatus subjectAccessReview(ObjectNode spec);

    /** TokenReview {@code status}: {@code user} is null unless {@code authenticated}; {@code error} may be "". */
    record TokenReviewStatus(boolean authenticated, UserInfo user, String error) {
        public TokenReviewStatus {
            error = error == null ? "" : error;
        }
    }

    /** SubjectAccessReview {@code status}. */
    record SubjectAccessReviewStatus(boolean allowed, boolean denied, String reason) {
        public SubjectAccessReviewStatus {
            reason = reason == null ? "" : reason;
        }
    }

    /** A review that got no answer. */
    final class ReviewException extends RuntimeException {
        public ReviewException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
