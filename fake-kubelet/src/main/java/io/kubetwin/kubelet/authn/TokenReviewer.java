package io.kubetwin.kubelet.authn;

import io.vertx.core.Future;

/**
 * The port through which the kubelet asks the apiserver who a bearer token belongs to: a POST of an
 * authentication.k8s.io/v1 TokenReview (upstream: the webhook token authenticator that
 * k8s.io/apiserver/pkg/authentication/authenticatorfactory/delegating.go builds from
 * {@code authentication.webhook}). The HTTP implementation against a real apiserver is not written yet;
 * tests use an in-memory double.
 */
public interface TokenReviewer {
    /**
     * Reviews one non-empty token. Called per request from event loops, concurrently: never block.
     * A token the apiserver does not accept is a succeeded future with {@code authenticated=false};
     * a failed future means the review itself could not be made (also a 401 for the caller).
     */
    Future<TokenReviewStatus> review(String token);

    /**
     * TokenReview {@code status}: {@code user} is null unless {@code authenticated}; {@code error} may be "".
     */
    record TokenReviewStatus(boolean authenticated, UserInfo user, String error) {
        public static TokenReviewStatus allowed(UserInfo user) {
            return new TokenReviewStatus(true, user, "");
        }

        public static TokenReviewStatus rejected(String error) {
            return new TokenReviewStatus(false, null, error);
        }
    }
}
