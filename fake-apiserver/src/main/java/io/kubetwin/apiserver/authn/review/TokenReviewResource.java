package io.kubetwin.apiserver.authn.review;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authn.TokenReviewer;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.kubetwin.apiserver.registry.virtual.GoValues;
import io.kubetwin.apiserver.registry.virtual.VirtualCreate;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * {@code POST /apis/authentication.k8s.io/v1/tokenreviews}, as pkg/registry/authentication/tokenreview/storage.go
 * serves it: the decoded object comes back with {@code status} filled in place by the {@link TokenReviewer}.
 * Like upstream, only what the review produced is overwritten: {@code authenticated} always, {@code error} when
 * there is one, {@code user} and {@code audiences} when a user was found; anything else the client put in
 * {@code status} is echoed. Answers 201. Thread-safe.
 */
public final class TokenReviewResource implements VirtualResource {
    private final TokenReviewer reviewer;
    private final Clock clock;

    public TokenReviewResource(TokenReviewer reviewer, Clock clock) {
        this.reviewer = reviewer;
        this.clock = clock;
    }

    @Override
    public BodyKind bodyKind() {
        return new BodyKind(AuthenticationTypes.GROUP, "v1", "TokenReview");
    }

    @Override
    public Future<Answer> handle(Call call) {
        ObjectNode review = VirtualCreate.decode(call, AuthenticationTypes.TOKEN_REVIEW, clock.instant());
        ObjectNode spec = (ObjectNode) review.get("spec");
        return reviewer.review(GoValues.text(spec, "token"), GoValues.strings(spec.get("audiences")))
                .map(result -> {
                    ObjectNode status = (ObjectNode) review.get("status");
                    status.put("authenticated", result.authenticated());
                    if (!result.error().isEmpty()) {
                        status.put("error", result.error());
                    }
                    if (result.user() != null) {
                        status.set("user", AuthenticationTypes.userInfo(result.user()));
                        ArrayNode audiences = status.putArray("audiences");
                        result.audiences().forEach(audiences::add);
                    }
                    return new Answer(201, AuthenticationTypes.TOKEN_REVIEW.encode(review));
                });
    }
}
