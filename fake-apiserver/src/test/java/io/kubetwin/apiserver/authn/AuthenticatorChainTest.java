package io.kubetwin.apiserver.authn;

import static io.kubetwin.apiserver.authn.TestCerts.NOW;
import static io.kubetwin.apiserver.authn.TestCerts.await;
import static io.kubetwin.apiserver.authn.TestCerts.ca;
import static io.kubetwin.apiserver.authn.TestCerts.cert;
import static io.kubetwin.apiserver.authn.TestCerts.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kubetwin.apiserver.authn.TestCerts.Issued;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authn.AnonymousAuthenticator;
import io.kubetwin.auth.authn.AuthenticationRequest;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.TokenAuthenticator;
import io.kubetwin.auth.authn.X509Authenticator;
import io.vertx.core.Future;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthenticatorChainTest {
    private static final List<String> API = List.of("https://kubernetes.default.svc");
    private static final Issued CA = ca("client-ca");
    private static final Issued OTHER_CA = ca("other-ca");
    private static final Issued ALICE_CERT = client(CA, "alice", "dev");
    private static final Issued BAD_CERT = client(OTHER_CA, "mallory");
    private static final Issued NO_CN_CERT =
            cert().o("dev").issuer(CA).eku(KeyPurposeId.id_kp_clientAuth).build();
    private static final TokenFileAuthenticator TOKENS = TokenFileAuthenticator.of(Map.of(
            "bob-token", UserInfo.of("bob", "ops"),
            "authed-token", UserInfo.of("carol", "system:authenticated", "x"),
            "unauthed-token", UserInfo.of("dan", "system:unauthenticated"),
            "anon-token", UserInfo.of("system:anonymous")));

    private static AuthenticatorChain chain(boolean anonymous) {
        return AuthenticatorChain.build(AuthenticatorChain.Config.none()
                .withX509(new X509Authenticator(() -> List.of(CA.cert()), Clock.fixed(NOW, ZoneOffset.UTC), true))
                .withTokenFile(TOKENS)
                .withAnonymous(anonymous ? AnonymousAuthenticator.unconditional() : null)
                .withApiAudiences(API));
    }

    private static AuthenticationRequest request(Issued cert, String authorization) {
        List<X509Certificate> peers = cert == null ? List.of() : List.of(cert.cert());
        return new AuthenticationRequest(peers, authorization, "/api/v1/pods");
    }

    private static AuthenticationOutcome.Authenticated authenticated(String name, String... groups) {
        return new AuthenticationOutcome.Authenticated(UserInfo.of(name, groups), API);
    }

    static Stream<Arguments> outcomes() {
        String badCertError = "verifying certificate SN=" + BAD_CERT.cert().getSerialNumber()
                + ", SKID=, AKID= failed: " + "x509: certificate signed by unknown authority";
        return Stream.of(
                Arguments.of(
                        "token user gets system:authenticated and the API audiences",
                        true,
                        null,
                        "Bearer bob-token",
                        authenticated("bob", "ops", "system:authenticated")),
                Arguments.of(
                        "system:authenticated not added twice",
                        true,
                        null,
                        "Bearer authed-token",
                        authenticated("carol", "system:authenticated", "x")),
                Arguments.of(
                        "system:unauthenticated blocks the adder",
                        true,
                        null,
                        "Bearer unauthed-token",
                        authenticated("dan", "system:unauthenticated")),
                Arguments.of(
                        "a token user named system:anonymous gets nothing added",
                        true,
                        null,
                        "Bearer anon-token",
                        authenticated("system:anonymous")),
                Arguments.of(
                        "no credentials, anonymous on",
                        true,
                        null,
                        null,
                        new AuthenticationOutcome.Authenticated(UserInfo.anonymous(), API)),
                Arguments.of(
                        "no credentials, anonymous off",
                        false,
                        null,
                        null,
                        new AuthenticationOutcome.Unauthenticated(List.of())),
                Arguments.of(
                        "bad token is never anonymous",
                        true,
                        null,
                        "Bearer wrong",
                        new AuthenticationOutcome.Unauthenticated(List.of("invalid bearer token"))),
                Arguments.of(
                        "bad certificate is never anonymous",
                        true,
                        BAD_CERT,
                        null,
                        new AuthenticationOutcome.Unauthenticated(List.of(badCertError))),
                Arguments.of(
                        "bad certificate and bad token aggregate",
                        false,
                        BAD_CERT,
                        "Bearer wrong",
                        new AuthenticationOutcome.Unauthenticated(
                                List.of("[invalid bearer token, " + badCertError + "]"))),
                Arguments.of(
                        "bad certificate but good token authenticates",
                        true,
                        BAD_CERT,
                        "Bearer bob-token",
                        authenticated("bob", "ops", "system:authenticated")),
                Arguments.of("certificate wins over token", true, ALICE_CERT, "Bearer bob-token", null),
                Arguments.of(
                        "certificate without CN falls through to anonymous",
                        true,
                        NO_CN_CERT,
                        null,
                        new AuthenticationOutcome.Authenticated(UserInfo.anonymous(), API)),
                Arguments.of(
                        "certificate without CN and anonymous off",
                        false,
                        NO_CN_CERT,
                        null,
                        new AuthenticationOutcome.Unauthenticated(List.of())),
                Arguments.of(
                        "non-bearer scheme is no credential",
                        true,
                        null,
                        "Basic Ym9iOnB3",
                        new AuthenticationOutcome.Authenticated(UserInfo.anonymous(), API)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void assemblesTheChainAsConfigGo(
            String name, boolean anonymous, Issued cert, String authorization, AuthenticationOutcome expected) {
        AuthenticationOutcome outcome = await(chain(anonymous).authenticateRequest(request(cert, authorization)));
        if (expected == null) {
            AuthenticationOutcome.Authenticated ok =
                    assertInstanceOf(AuthenticationOutcome.Authenticated.class, outcome);
            assertEquals("alice", ok.user().name());
            assertEquals(List.of("dev", "system:authenticated"), ok.user().groups());
            assertEquals(List.of(), ok.audiences());
        } else {
            assertEquals(expected, outcome);
        }
    }

    @Test
    void anonymousConditionsLimitPaths() {
        AuthenticatorChain chain = AuthenticatorChain.build(AuthenticatorChain.Config.none()
                .withTokenFile(TOKENS)
                .withAnonymous(new AnonymousAuthenticator(List.of("/healthz", "/readyz"))));
        assertEquals(
                new AuthenticationOutcome.Authenticated(UserInfo.anonymous(), List.of()),
                await(chain.authenticateRequest(new AuthenticationRequest(List.of(), null, "/healthz"))));
        assertEquals(
                new AuthenticationOutcome.Unauthenticated(List.of()),
                await(chain.authenticateRequest(new AuthenticationRequest(List.of(), null, "/healthz/etcd"))));
    }

    @Test
    void credentialForOtherAudiencesIsRejected() {
        TokenAuthenticator foreign = (token, audiences) ->
                Future.succeededFuture(new AuthenticationResult.Authenticated(UserInfo.of("x"), List.of("vault")));
        AuthenticatorChain chain = AuthenticatorChain.build(AuthenticatorChain.Config.none()
                .withServiceAccountTokens(List.of(foreign))
                .withApiAudiences(API));
        AuthenticationOutcome.Unauthenticated outcome = assertInstanceOf(
                AuthenticationOutcome.Unauthenticated.class,
                await(chain.authenticateRequest(AuthenticationRequest.bearer("t"))));
        assertEquals(
                "unable to match the audience: [vault] , accepted: [https://kubernetes.default.svc]",
                outcome.message());
    }

    @Test
    void tokenFileIsAudienceAgnostic() {
        AuthenticatorChain chain = chain(false);
        AuthenticationRequest forVault =
                AuthenticationRequest.bearer("bob-token").withAudiences(List.of("vault"));
        assertEquals(new AuthenticationResult.Failed("invalid bearer token"), await(chain.authenticate(forVault)));
        AuthenticationRequest forBoth =
                AuthenticationRequest.bearer("bob-token").withAudiences(List.of("vault", API.get(0)));
        AuthenticationResult.Authenticated ok =
                assertInstanceOf(AuthenticationResult.Authenticated.class, await(chain.authenticate(forBoth)));
        assertEquals(API, ok.audiences());
    }

    @Test
    void nothingConfiguredFailsClosedOrIsAnonymous() {
        assertEquals(
                new AuthenticationOutcome.Unauthenticated(List.of()),
                await(AuthenticatorChain.build(AuthenticatorChain.Config.none())
                        .authenticateRequest(request(null, null))));
        assertEquals(
                new AuthenticationOutcome.Authenticated(UserInfo.anonymous(), List.of()),
                await(AuthenticatorChain.build(
                                AuthenticatorChain.Config.none().withAnonymous(AnonymousAuthenticator.unconditional()))
                        .authenticateRequest(request(null, "Bearer x"))));
    }
}
