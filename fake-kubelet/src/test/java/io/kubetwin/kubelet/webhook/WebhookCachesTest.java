package io.kubetwin.kubelet.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authz.Decision;
import io.kubetwin.kubelet.authz.NodeRequestAttributes;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's cache TTLs (token 2m for both outcomes, SAR 5m allowed / 30s otherwise), on a clock the test moves. */
class WebhookCachesTest {
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    /** Answers from a script, counting what was asked. */
    static final class ScriptedReviews implements ReviewClient {
        final List<String> asked = new ArrayList<>();
        SubjectAccessReviewStatus access = new SubjectAccessReviewStatus(true, false, "");
        TokenReviewStatus token = new TokenReviewStatus(true, UserInfo.of("carol", "ops"), "");

        @Override
        public Future<TokenReviewStatus> tokenReview(String t) {
            asked.add("token " + t);
            return Future.succeededFuture(token);
        }

        @Override
        public SubjectAccessReviewStatus subjectAccessReview(ObjectNode spec) {
            asked.add(spec.toString());
            return access;
        }
    }

    static final Attributes PODS = new NodeRequestAttributes("node-1", true)
            .attributes(
                    new UserInfo("alice", "u1", List.of("dev", "system:authenticated"), Map.of("k", List.of("v"))),
                    "GET",
                    "/pods")
            .get(0);

    @Test
    void theSpecIsTheSubjectAccessReviewSpecInGoFieldOrder() {
        assertEquals(
                "{\"resourceAttributes\":{\"verb\":\"get\",\"version\":\"v1\",\"resource\":\"nodes\",\"subresource\":\"pods\","
                        + "\"name\":\"node-1\"},\"user\":\"alice\",\"groups\":[\"dev\",\"system:authenticated\"],"
                        + "\"extra\":{\"k\":[\"v\"]},\"uid\":\"u1\"}",
                WebhookAuthorizer.spec(PODS).toString());
    }

    @Test
    void allowedAnswersLiveForTheAuthorizedTtlAndOthersForTheUnauthorizedOne() {
        MovableClock clock = new MovableClock();
        ScriptedReviews reviews = new ScriptedReviews();
        WebhookAuthorizer authorizer =
                new WebhookAuthorizer(reviews, Duration.ofMinutes(5), Duration.ofSeconds(30), clock);
        assertEquals(Decision.allow(""), authorizer.authorize(PODS));
        clock.advance(Duration.ofSeconds(299));
        assertEquals(Decision.allow(""), authorizer.authorize(PODS));
        assertEquals(1, reviews.asked.size());
        clock.advance(Duration.ofSeconds(1));
        reviews.access = new ReviewClient.SubjectAccessReviewStatus(false, false, "no binding");
        assertEquals(Decision.noOpinion("no binding"), authorizer.authorize(PODS));
        assertEquals(2, reviews.asked.size());
        clock.advance(Duration.ofSeconds(29));
        reviews.access = new ReviewClient.SubjectAccessReviewStatus(false, true, "denied");
        assertEquals(Decision.noOpinion("no binding"), authorizer.authorize(PODS), "still cached");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Decision.deny("denied"), authorizer.authorize(PODS));
        assertEquals(3, reviews.asked.size());
    }

    @Test
    void bothAllowedAndDeniedIsAnError() {
        ScriptedReviews reviews = new ScriptedReviews();
        reviews.access = new ReviewClient.SubjectAccessReviewStatus(true, true, "");
        WebhookAuthorizer authorizer =
                new WebhookAuthorizer(reviews, Duration.ofMinutes(5), Duration.ofSeconds(30), new MovableClock());
        assertEquals(
                "webhook subject access review returned both allow and deny response",
                assertThrows(IllegalStateException.class, () -> authorizer.authorize(PODS))
                        .getMessage());
    }

    @Test
    void tokenAnswersLiveForTheCacheTtlButErrorsAreNotCached() {
        MovableClock clock = new MovableClock();
        ScriptedReviews reviews = new ScriptedReviews();
        WebhookTokenAuthenticator tokens = new WebhookTokenAuthenticator(reviews, Duration.ofMinutes(2), clock);
        assertEquals(
                new AuthenticationResult.Authenticated(UserInfo.of("carol", "ops")),
                tokens.authenticateToken("t1", List.of()).result());
        clock.advance(Duration.ofSeconds(119));
        tokens.authenticateToken("t1", List.of());
        assertEquals(1, reviews.asked.size());
        clock.advance(Duration.ofSeconds(1));
        reviews.token = new ReviewClient.TokenReviewStatus(false, null, "");
        assertEquals(
                AuthenticationResult.NOT_MINE,
                tokens.authenticateToken("t1", List.of()).result());
        tokens.authenticateToken("t1", List.of());
        assertEquals(2, reviews.asked.size(), "a rejection is cached too");
        reviews.token = new ReviewClient.TokenReviewStatus(false, null, "token expired");
        assertInstanceOf(
                AuthenticationResult.Failed.class,
                tokens.authenticateToken("t2", List.of()).result());
        tokens.authenticateToken("t2", List.of());
        assertEquals(4, reviews.asked.size(), "an error is asked again");
    }
}
