package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authn.UserInfo;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Future;

/**
 * A resource or subresource served by custom code rather than storage: the create-only review APIs
 * (TokenReview, SelfSubjectReview, SubjectAccessReview and friends), TokenRequest
 * ({@code serviceaccounts/token}), CSR {@code approval}, pod {@code eviction}/{@code binding}. Looked up by
 * (group, resource, subresource) in {@link VirtualResources}; the {@link RestHandler} decodes the body,
 * records it for audit, calls {@link #handle}, records and writes the answer.
 *
 * <p>Implementations are thread-safe and non-blocking.
 */
public interface VirtualResource {

    /**
     * One call. {@code body} is the decoded request object for create and update, already type-checked as
     * {@link #bodyKind()} and recorded as audit's requestObject; for other verbs it is null and the raw body
     * is in {@code state.body()}. Verbs the subresource does not advertise in discovery never arrive (405).
     */
    record Call(RequestState state, String verb, String namespace, String name, String subresource,
                ObjectNode body, UserInfo user, boolean dryRun) {}

    /** The answer: HTTP code and body (written as JSON). */
    record Answer(int code, JsonNode body) {}

    /**
     * The Kind the request body must be (e.g. "TokenReview" in authentication.k8s.io/v1), used by the
     * decoder's type checks; null when the call takes no body.
     */
    BodyKind bodyKind();

    /** Serves the call; fails with a {@link io.kubetwin.apiserver.api.StatusException} to answer an error. */
    Future<Answer> handle(Call call);

    /** The group/version/kind of the request body. */
    record BodyKind(String group, String version, String kind) {}
}
