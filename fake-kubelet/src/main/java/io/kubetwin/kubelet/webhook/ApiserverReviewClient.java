package io.kubetwin.kubelet.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.client.ApiClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link ReviewClient} over HTTPS with the identity of the kubelet's kubeconfig (the shared {@link ApiClient}), as
 * the kubelet's delegating authenticator and authorizer post their reviews through its client-go clientset:
 * {@code POST /apis/authentication.k8s.io/v1/tokenreviews} with only {@code spec.token} (the kubelet sets no API
 * audiences) and {@code POST /apis/authorization.k8s.io/v1/subjectaccessreviews}. An answer that is not a 2xx is
 * an error carrying the apiserver's Status message. Thread-safe.
 */
public final class ApiserverReviewClient implements ReviewClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final String SUBJECT_ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    private final ApiClient client;

    public ApiserverReviewClient(ApiClient client) {
        this.client = client;
    }

    @Override
    public Future<TokenReviewStatus> tokenReview(String token) {
        ObjectNode review = object("TokenReview", "authentication.k8s.io/v1");
        review.putObject("spec").put("token", token);
        CompletableFuture<TokenReviewStatus> answer = client.sendAsync(
                        "POST", TOKEN_REVIEWS, review.toString(), null, Map.of())
                .thenApply(r -> {
                    JsonNode status = answered(r, "TokenReview").path("status");
                    boolean authenticated = status.path("authenticated").asBoolean(false);
                    return new TokenReviewStatus(
                            authenticated,
                            authenticated ? user(status.path("user")) : null,
                            status.path("error").asText(""));
                });
        // continue on the caller's event loop, where the response is written
        Context context = Vertx.currentContext();
        return context == null ? Future.fromCompletionStage(answer) : Future.fromCompletionStage(answer, context);
    }

    @Override
    public SubjectAccessReviewStatus subjectAccessReview(ObjectNode spec) {
        ObjectNode review = object("SubjectAccessReview", "authorization.k8s.io/v1");
        review.set("spec", spec);
        ApiClient.Response r;
        try {
            r = client.sendAsync("POST", SUBJECT_ACCESS_REVIEWS, review.toString(), null, Map.of())
                    .join();
        } catch (CompletionException e) {
            throw new ReviewException("SubjectAccessReview: " + e.getCause().getMessage(), e.getCause());
        }
        JsonNode status = answered(r, "SubjectAccessReview").path("status");
        return new SubjectAccessReviewStatus(
                status.path("allowed").asBoolean(false),
                status.path("denied").asBoolean(false),
                status.path("reason").asText(""));
    }

    private static ObjectNode object(String kind, String apiVersion) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", kind);
        o.put("apiVersion", apiVersion);
        o.putObject("metadata").putNull("creationTimestamp");
        return o;
    }

    private static JsonNode answered(ApiClient.Response r, String what) {
        if (r.code() < 200 || r.code() > 299) {
            String message = r.statusMessage().orElse(r.body());
            throw new ReviewException(what + " answered " + r.code() + ": " + message, null);
        }
        return r.json();
    }

    /** authentication/v1 UserInfo. */
    static UserInfo user(JsonNode u) {
        List<String> groups = new ArrayList<>();
        u.path("groups").forEach(g -> groups.add(g.asText()));
        Map<String, List<String>> extra = new LinkedHashMap<>();
        u.path("extra").fields().forEachRemaining(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            extra.put(e.getKey(), values);
        });
        return new UserInfo(u.path("username").asText(""), u.path("uid").asText(""), groups, extra);
    }
}
