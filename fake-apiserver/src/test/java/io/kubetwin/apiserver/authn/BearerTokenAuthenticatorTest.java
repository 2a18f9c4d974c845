package io.kubetwin.apiserver.authn;

import static io.kubetwin.apiserver.authn.TestCerts.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authn.AuthenticationRequest;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.BearerTokenAuthenticator;
import io.kubetwin.auth.authn.TokenAuthenticator;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BearerTokenAuthenticatorTest {
    private static final UserInfo ALICE = UserInfo.of("alice", "dev");
    private static final TokenFileAuthenticator TOKENS = TokenFileAuthenticator.of(Map.of("tok", ALICE));

    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("Bearer tok", "tok"),
                Arguments.of("bearer tok", "tok"),
                Arguments.of("BEARER tok", "tok"),
                Arguments.of("  Bearer tok \t\n", "tok"),
                Arguments.of("Bearer tok trailing words", "tok"),
                Arguments.of("Bearer  tok", null),
                Arguments.of("Bearer", null),
                Arguments.of("Bearer ", null),
                Arguments.of("Bearer\ttok", null),
                Arguments.of("Basic dXNlcjpwYXNz", null),
                Arguments.of("Bearertok", null),
                Arguments.of("", null),
                Arguments.of(null, null));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @MethodSource("headers")
    void parsesTheAuthorizationHeaderAsUpstream(String header, String token) {
        assertEquals(token, BearerTokenAuthenticator.bearerToken(header));
        AuthenticationResult result = await(new BearerTokenAuthenticator(List.of(TOKENS))
                .authenticate(new AuthenticationRequest(List.of(), header, "/")));
        if (token == null) {
            assertEquals(AuthenticationResult.NOT_MINE, result);
        }
    }

    @Test
    void unknownTokenIsAnInvalidBearerTokenError() {
        AuthenticationResult result =
                await(new BearerTokenAuthenticator(List.of(TOKENS)).authenticate(AuthenticationRequest.bearer("nope")));
        assertEquals(new AuthenticationResult.Failed("invalid bearer token"), result);
    }

    @Test
    void knownTokenAuthenticates() {
        AuthenticationResult result =
                await(new BearerTokenAuthenticator(List.of(TOKENS)).authenticate(AuthenticationRequest.bearer("tok")));
        assertEquals(new AuthenticationResult.Authenticated(ALICE), result);
    }

    static TokenAuthenticator failing(String error) {
        return (token, audiences) -> Future.succeededFuture(new AuthenticationResult.Failed(error));
    }

    static Stream<Arguments> unions() {
        return Stream.of(
                Arguments.of(List.of(failing("e1"), TOKENS), new AuthenticationResult.Authenticated(ALICE)),
                Arguments.of(List.of(TOKENS, failing("e1")), new AuthenticationResult.Failed("e1")),
                Arguments.of(
                        List.of(failing("e1"), failing("e2")), new AuthenticationResult.Failed(List.of("e1", "e2"))),
                Arguments.of(List.of(failing("same"), failing("same")), new AuthenticationResult.Failed("same")));
    }

    @ParameterizedTest
    @MethodSource("unions")
    void tokenUnionTakesFirstSuccessElseAggregatesErrors(
            List<TokenAuthenticator> authenticators, AuthenticationResult expected) {
        String token = expected instanceof AuthenticationResult.Authenticated ? "tok" : "other";
        assertEquals(
                expected,
                await(new BearerTokenAuthenticator(authenticators).authenticate(AuthenticationRequest.bearer(token))));
    }

    @Test
    void passesTheRequestAudiencesToTokenAuthenticators() {
        List<List<String>> seen = new ArrayList<>();
        TokenAuthenticator recording = (token, audiences) -> {
            seen.add(audiences);
            return Future.succeededFuture(AuthenticationResult.NOT_MINE);
        };
        await(new BearerTokenAuthenticator(List.of(recording))
                .authenticate(AuthenticationRequest.bearer("t").withAudiences(List.of("api"))));
        assertEquals(List.of(List.of("api")), seen);
    }
}
