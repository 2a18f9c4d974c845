package io.kubetwin.apiserver.authn;

import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authn.AuthenticationRequest;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.Authenticator;
import io.vertx.core.Future;
import java.util.List;

/**
 * The core of {@code POST /apis/authentication.k8s.io/v1/tokenreviews}, as
 * pkg/registry/authentication/tokenreview/storage.go does it: an empty token is a 400, the token is run
 * as {@code Authorization: Bearer <token>} through the server's own authenticator (so groups include
 * {@code system:authenticated}) asked for {@code spec.audiences} or else the API audiences, and the answer
 * fills {@code status}. A user whose audiences share none of the asked ones is a 500
 * ({@code error validating audiences}). The namespace check belongs to the handler. Thread-safe.
 */
public final class TokenReviewer {
    public static final String TOKEN_REQUIRED = "token is required for TokenReview in authentication";

    /**
     * TokenReview {@code status}. {@code user} is null when the review produced none (then neither user nor
     * audiences are written); {@code error} is "" when there is none (omitted on the wire).
     */
    public record TokenReviewStatus(boolean authenticated, UserInfo user, List<String> audiences, String error) {
        public TokenReviewStatus {
            audiences = List.copyOf(audiences == null ? List.of() : audiences);
            error = error == null ? "" : error;
        }
    }

    private final Authenticator authenticator;
    private final List<String> apiAudiences;

    /**
     * @param authenticator the server's request authenticator, normally the {@link AuthenticatorChain} itself
     */
    public TokenReviewer(Authenticator authenticator, List<String> apiAudiences) {
        this.authenticator = authenticator;
        this.apiAudiences = List.copyOf(apiAudiences);
    }

    /**
     * Reviews one token. Fails with a {@code StatusException}: 400 for an empty token, 500 for an
     * audience mismatch; an invalid token is not a failure, it is {@code authenticated=false} with an error.
     */
    public Future<TokenReviewStatus> review(String token, List<String> specAudiences) {
        if (token == null || token.isEmpty()) {
            return Future.failedFuture(Statuses.badRequest(TOKEN_REQUIRED));
        }
        List<String> audiences =
                specAudiences == null || specAudiences.isEmpty() ? apiAudiences : List.copyOf(specAudiences);
        AuthenticationRequest request = new AuthenticationRequest(List.of(), "Bearer " + token, "", audiences);
        return authenticator.authenticate(request).compose(result -> {
            if (result instanceof AuthenticationResult.Authenticated ok) {
                if (!audiences.isEmpty()
                        && Audiences.intersect(audiences, ok.audiences()).isEmpty()) {
                    return Future.failedFuture(Statuses.internalError("error validating audiences"));
                }
                return Future.succeededFuture(new TokenReviewStatus(true, ok.user(), ok.audiences(), ""));
            }
            String error = result instanceof AuthenticationResult.Failed failed ? failed.error() : "";
            return Future.succeededFuture(new TokenReviewStatus(false, null, List.of(), error));
        });
    }
}
