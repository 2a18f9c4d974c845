package io.kubetwin.apiserver.authn.review;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.kubetwin.apiserver.registry.virtual.GoValues;
import io.kubetwin.apiserver.registry.virtual.VirtualCreate;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code POST /apis/authentication.k8s.io/v1/selfsubjectreviews} ({@code kubectl auth whoami}), as
 * pkg/registry/authentication/selfsubjectreview/rest.go serves it: the body is decoded (its errors and
 * warnings stand) but otherwise ignored; the answer is a new object with only {@code creationTimestamp} and
 * the effective user (after impersonation) in {@code status.userInfo}. Answers 201. Thread-safe.
 */
public final class SelfSubjectReviewResource implements VirtualResource {
    private final Clock clock;

    public SelfSubjectReviewResource(Clock clock) {
        this.clock = clock;
    }

    @Override
    public BodyKind bodyKind() {
        return new BodyKind(AuthenticationTypes.GROUP, "v1", "SelfSubjectReview");
    }

    @Override
    public Future<Answer> handle(Call call) {
        Instant now = clock.instant();
        VirtualCreate.decode(call, AuthenticationTypes.SELF_SUBJECT_REVIEW, now);
        if (call.user() == null) {
            return Future.failedFuture(Statuses.badRequest("no user present on request"));
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("kind", "SelfSubjectReview");
        response.put("apiVersion", AuthenticationTypes.GROUP + "/v1");
        response.putObject("metadata").put("creationTimestamp", GoValues.rfc3339(now));
        response.putObject("status").set("userInfo", AuthenticationTypes.userInfo(call.user()));
        return Future.succeededFuture(new Answer(201, AuthenticationTypes.SELF_SUBJECT_REVIEW.encode(response)));
    }
}
