package io.kubetwin.apiserver.authn;

import static io.kubetwin.apiserver.authn.TestCerts.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.authn.TokenReviewer.TokenReviewStatus;
import io.kubetwin.apiserver.authn.serviceaccount.ServiceAccountRef;
import io.kubetwin.apiserver.authn.serviceaccount.ServiceAccountTokenAuthenticator;
import io.kubetwin.apiserver.authn.serviceaccount.ServiceAccountTokenIssuer;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authn.AnonymousAuthenticator;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.Authenticator;
import io.vertx.core.Future;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenReviewerTest {
    private static final String ISSUER = "https://kubernetes.default.svc";
    private static final List<String> API = List.of(ISSUER);
    private static final Instant NOW = Instant.parse("2030-06-01T00:00:00Z");
    private static final KeyPair KEY = TestCerts.ec();
    private static final ServiceAccountRef SA = new ServiceAccountRef("default", "builder", "sa-uid");
    private static final ServiceAccountTokenIssuer ISSUE = new ServiceAccountTokenIssuer(
            ISSUER,
            KEY,
            API,
            Clock.fixed(NOW, ZoneOffset.UTC),
            () -> "7ee52be0",
            ServiceAccountTokenIssuer.Options.defaults());

    private static TokenReviewer reviewer(boolean anonymous) {
        var sa = new ServiceAccountTokenAuthenticator(
                List.of(ISSUER),
                List.of(KEY.getPublic()),
                API,
                (ns, name) -> Future.succeededFuture(
                        ns.equals("default") && name.equals("builder") ? Optional.of(SA) : Optional.empty()),
                Clock.fixed(NOW, ZoneOffset.UTC));
        AuthenticatorChain chain = AuthenticatorChain.build(AuthenticatorChain.Config.none()
                .withTokenFile(TokenFileAuthenticator.of(Map.of("static", UserInfo.of("bob", "ops"))))
                .withServiceAccountTokens(List.of(sa))
                .withAnonymous(anonymous ? AnonymousAuthenticator.unconditional() : null)
                .withApiAudiences(API));
        return new TokenReviewer(chain, API);
    }

    private static final UserInfo SA_USER = new UserInfo(
            "system:serviceaccount:default:builder",
            "sa-uid",
            List.of("system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"),
            Map.of("authentication.kubernetes.io/credential-id", List.of("JTI=7ee52be0")));

    static Stream<Arguments> reviews() {
        String saToken = ISSUE.issue(ServiceAccountTokenIssuer.TokenSpec.of(SA)).token();
        String vaultToken = ISSUE.issue(
                        ServiceAccountTokenIssuer.TokenSpec.of(SA).withAudiences(List.of("vault")))
                .token();
        return Stream.of(
                Arguments.of(
                        "static token",
                        "static",
                        List.of(),
                        new TokenReviewStatus(true, UserInfo.of("bob", "ops", "system:authenticated"), API, "")),
                Arguments.of(
                        "service-account token", saToken, List.of(), new TokenReviewStatus(true, SA_USER, API, "")),
                Arguments.of(
                        "service-account token for its own audience",
                        vaultToken,
                        List.of("vault"),
                        new TokenReviewStatus(true, SA_USER, List.of("vault"), "")),
                Arguments.of(
                        "service-account token for another audience",
                        vaultToken,
                        List.of(),
                        new TokenReviewStatus(
                                false,
                                null,
                                List.of(),
                                // the loopback token authenticator's "invalid bearer token" leads the aggregate
                                // (observed on v1.34)
                                "[invalid bearer token, token audiences [\"vault\"] is invalid for the target audiences [\""
                                        + ISSUER + "\"]]")),
                Arguments.of(
                        "static token asked for a foreign audience",
                        "static",
                        List.of("vault"),
                        new TokenReviewStatus(false, null, List.of(), "invalid bearer token")),
                Arguments.of(
                        "garbage",
                        "garbage",
                        List.of(),
                        new TokenReviewStatus(false, null, List.of(), "invalid bearer token")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reviews")
    void fillsStatusAsTheRegistryDoes(String name, String token, List<String> audiences, TokenReviewStatus expected) {
        assertEquals(expected, await(reviewer(false).review(token, audiences)));
    }

    @Test
    void tokenThatIsNoBearerCredentialIsAnonymousWhenAnonymousIsOn() {
        // "Bearer  x" splits to an empty token: not a credential, so upstream's FailOnError falls to anonymous
        assertEquals(
                new TokenReviewStatus(true, UserInfo.anonymous(), API, ""),
                await(reviewer(true).review(" x", List.of())));
        assertEquals(
                new TokenReviewStatus(false, null, List.of(), ""),
                await(reviewer(false).review(" x", List.of())));
    }

    @Test
    void emptyTokenIsABadRequest() {
        Throwable failure = reviewer(false).review("", List.of()).cause();
        StatusException e = assertInstanceOf(StatusException.class, failure);
        assertEquals(400, e.code());
        assertEquals("token is required for TokenReview in authentication", e.getMessage());
    }

    @Test
    void authenticatorAudiencesOutsideTheRequestAreAnInternalError() {
        Authenticator odd = request ->
                Future.succeededFuture(new AuthenticationResult.Authenticated(UserInfo.of("x"), List.of("other")));
        Throwable failure = new TokenReviewer(odd, API).review("t", List.of()).cause();
        StatusException e = assertInstanceOf(StatusException.class, failure);
        assertEquals(500, e.code());
        assertEquals("Internal error occurred: error validating audiences", e.getMessage());
    }
}
