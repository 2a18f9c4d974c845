package io.kubetwin.apiserver.authn.serviceaccount;

import static io.kubetwin.apiserver.authn.TestCerts.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.authn.TestCerts;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceAccountTokenTest {
    private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    private static final List<String> API = List.of(ISSUER);
    private static final Instant T0 = Instant.parse("2030-06-01T00:00:00Z");
    private static final long T = T0.getEpochSecond();
    private static final KeyPair RSA = TestCerts.rsa();
    private static final KeyPair EC = TestCerts.ec();
    private static final ServiceAccountRef SA = new ServiceAccountRef("ns1", "sa1", "uid-sa");
    private static final BoundObject POD = new BoundObject("pod1", "uid-pod");
    private static final BoundObject NODE = new BoundObject("node1", "uid-node");
    private static final BoundObject SECRET = new BoundObject("secret1", "uid-secret");

    /** An in-memory store: objects by kind/namespace/name. */
    private record Store(Map<String, ServiceAccountRef> accounts, Map<String, BoundObject> objects)
            implements ServiceAccountLookup {
        static Store with(ServiceAccountRef... accounts) {
            Map<String, ServiceAccountRef> map = new HashMap<>();
            for (ServiceAccountRef sa : accounts) {
                map.put(sa.namespace() + "/" + sa.name(), sa);
            }
            return new Store(map, new HashMap<>());
        }

        Store object(String kind, String namespace, BoundObject object) {
            objects.put(kind + "/" + namespace + "/" + object.name(), object);
            return this;
        }

        @Override
        public Future<Optional<ServiceAccountRef>> find(String namespace, String name) {
            return Future.succeededFuture(Optional.ofNullable(accounts.get(namespace + "/" + name)));
        }

        @Override
        public Future<Optional<BoundObject>> findPod(String namespace, String name) {
            return Future.succeededFuture(Optional.ofNullable(objects.get("pod/" + namespace + "/" + name)));
        }

        @Override
        public Future<Optional<BoundObject>> findSecret(String namespace, String name) {
            return Future.succeededFuture(Optional.ofNullable(objects.get("secret/" + namespace + "/" + name)));
        }

        @Override
        public Future<Optional<BoundObject>> findNode(String name) {
            return Future.succeededFuture(Optional.ofNullable(objects.get("node//" + name)));
        }
    }

    private static ServiceAccountTokenIssuer issuer(KeyPair key, Instant at) {
        return new ServiceAccountTokenIssuer(
                ISSUER,
                key,
                API,
                Clock.fixed(at, ZoneOffset.UTC),
                () -> "jti-1",
                ServiceAccountTokenIssuer.Options.defaults());
    }

    private static ServiceAccountTokenAuthenticator authenticator(
            ServiceAccountLookup lookup, Instant at, KeyPair... keys) {
        List<PublicKey> publicKeys = Stream.of(keys).map(KeyPair::getPublic).toList();
        return new ServiceAccountTokenAuthenticator(
                List.of("https://old.example", ISSUER), publicKeys, API, lookup, Clock.fixed(at, ZoneOffset.UTC));
    }

    private static String part(String token, int index) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
    }

    private static Store defaultStore() {
        return Store.with(SA).object("pod", "ns1", POD).object("node", "", NODE).object("secret", "ns1", SECRET);
    }

    @Test
    void signsClaimsAsTokenRequestDoes() throws Exception {
        ServiceAccountTokenIssuer.IssuedToken issued =
                issuer(RSA, T0).issue(ServiceAccountTokenIssuer.TokenSpec.of(SA));
        String kid = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(RSA.getPublic().getEncoded()));
        assertEquals("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}", part(issued.token(), 0));
        assertEquals(
                "{\"aud\":[\"" + ISSUER + "\"],\"exp\":" + (T + 3600) + ",\"iat\":" + T + ",\"iss\":\"" + ISSUER
                        + "\",\"jti\":\"jti-1\",\"kubernetes.io\":{\"namespace\":\"ns1\",\"serviceaccount\":{\"name\":\"sa1\","
                        + "\"uid\":\"uid-sa\"}},\"nbf\":" + T + ",\"sub\":\"system:serviceaccount:ns1:sa1\"}",
                part(issued.token(), 1));
        assertEquals(T0.plusSeconds(3600), issued.expirationTimestamp());
        assertEquals(3600, issued.expirationSeconds());
        assertEquals(API, issued.audiences());
    }

    @Test
    void ecKeysSignEs256AndPodBindingCarriesTheNode() {
        ServiceAccountTokenIssuer.IssuedToken issued = issuer(EC, T0)
                .issue(ServiceAccountTokenIssuer.TokenSpec.of(SA)
                        .withAudiences(List.of("vault", "a<b&c"))
                        .withExpirationSeconds(7200L)
                        .withPod(POD, NODE));
        assertEquals("ES256", part(issued.token(), 0).replaceAll(".*\"alg\":\"([^\"]+)\".*", "$1"));
        assertEquals(
                "{\"aud\":[\"vault\",\"a\\u003cb\\u0026c\"],\"exp\":" + (T + 7200) + ",\"iat\":" + T + ",\"iss\":\""
                        + ISSUER
                        + "\",\"jti\":\"jti-1\",\"kubernetes.io\":{\"namespace\":\"ns1\",\"node\":{\"name\":\"node1\","
                        + "\"uid\":\"uid-node\"},\"pod\":{\"name\":\"pod1\",\"uid\":\"uid-pod\"},\"serviceaccount\":{\"name\":\"sa1\","
                        + "\"uid\":\"uid-sa\"}},\"nbf\":" + T + ",\"sub\":\"system:serviceaccount:ns1:sa1\"}",
                part(issued.token(), 1));
    }

    @Test
    void kubeletProjectedTokensAreExtendedWithWarnAfter() throws Exception {
        ServiceAccountTokenIssuer.IssuedToken issued = issuer(RSA, T0)
                .issue(ServiceAccountTokenIssuer.TokenSpec.of(SA)
                        .withExpirationSeconds(3607L)
                        .withPod(POD, null));
        var claims = new ObjectMapper().readTree(part(issued.token(), 1));
        assertEquals(T + 365L * 24 * 3600, claims.get("exp").asLong());
        assertEquals(T + 3607, claims.get("kubernetes.io").get("warnafter").asLong());
        assertEquals(T0.plusSeconds(3607), issued.expirationTimestamp());
        // not extended for other audiences, without a pod, or when the server does not extend
        var forVault = new ObjectMapper()
                .readTree(part(
                        issuer(RSA, T0)
                                .issue(ServiceAccountTokenIssuer.TokenSpec.of(SA)
                                        .withExpirationSeconds(3607L)
                                        .withPod(POD, null)
                                        .withAudiences(List.of("vault")))
                                .token(),
                        1));
        assertEquals(T + 3607, forVault.get("exp").asLong());
        var noExtension = new ServiceAccountTokenIssuer(
                ISSUER,
                RSA,
                API,
                Clock.fixed(T0, ZoneOffset.UTC),
                () -> "j",
                new ServiceAccountTokenIssuer.Options(false, 0));
        var plain = new ObjectMapper()
                .readTree(part(
                        noExtension
                                .issue(ServiceAccountTokenIssuer.TokenSpec.of(SA)
                                        .withExpirationSeconds(3607L)
                                        .withPod(POD, null))
                                .token(),
                        1));
        assertEquals(T + 3607, plain.get("exp").asLong());
    }

    @Test
    void maxExpirationCapsTheLifetime() {
        var capped = new ServiceAccountTokenIssuer(
                ISSUER,
                RSA,
                API,
                Clock.fixed(T0, ZoneOffset.UTC),
                () -> "j",
                new ServiceAccountTokenIssuer.Options(true, 1800));
        ServiceAccountTokenIssuer.IssuedToken issued =
                capped.issue(ServiceAccountTokenIssuer.TokenSpec.of(SA).withExpirationSeconds(86400L));
        assertEquals(1800, issued.expirationSeconds());
        assertEquals(T0.plusSeconds(1800), issued.expirationTimestamp());
    }

    @Test
    void validatesExpirationSeconds() {
        assertEquals(
                List.of(new Status.Cause(
                        "FieldValueInvalid",
                        "Invalid value: 599: may not specify a duration less than 10 minutes",
                        "spec.expirationSeconds")),
                ServiceAccountTokenIssuer.validateExpiration(599));
        assertEquals(
                List.of(new Status.Cause(
                        "FieldValueInvalid",
                        "Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds",
                        "spec.expirationSeconds")),
                ServiceAccountTokenIssuer.validateExpiration((1L << 32) + 1));
        assertEquals(List.of(), ServiceAccountTokenIssuer.validateExpiration(600));
        assertThrows(
                IllegalArgumentException.class,
                () -> issuer(RSA, T0)
                        .issue(ServiceAccountTokenIssuer.TokenSpec.of(SA).withExpirationSeconds(599L)));
        IllegalArgumentException twoBindings = assertThrows(
                IllegalArgumentException.class,
                () -> issuer(RSA, T0)
                        .issue(ServiceAccountTokenIssuer.TokenSpec.of(SA)
                                .withSecret(SECRET)
                                .withPod(POD, null)));
        assertEquals("internal error, token can only be bound to one object type", twoBindings.getMessage());
    }

    static Stream<Arguments> roundTrips() {
        var base = ServiceAccountTokenIssuer.TokenSpec.of(SA);
        Map<String, List<String>> jti = Map.of(ServiceAccounts.CREDENTIAL_ID_KEY, List.of("JTI=jti-1"));
        Map<String, List<String>> podAndNode = Map.of(
                ServiceAccounts.CREDENTIAL_ID_KEY,
                List.of("JTI=jti-1"),
                ServiceAccounts.POD_NAME_KEY,
                List.of("pod1"),
                ServiceAccounts.POD_UID_KEY,
                List.of("uid-pod"),
                ServiceAccounts.NODE_NAME_KEY,
                List.of("node1"),
                ServiceAccounts.NODE_UID_KEY,
                List.of("uid-node"));
        Map<String, List<String>> nodeOnly = Map.of(
                ServiceAccounts.CREDENTIAL_ID_KEY,
                List.of("JTI=jti-1"),
                ServiceAccounts.NODE_NAME_KEY,
                List.of("node1"),
                ServiceAccounts.NODE_UID_KEY,
                List.of("uid-node"));
        return Stream.of(
                Arguments.of("RSA, unbound", RSA, base, jti),
                Arguments.of("EC, unbound", EC, base, jti),
                Arguments.of("pod-bound with node info", RSA, base.withPod(POD, NODE), podAndNode),
                Arguments.of("secret-bound", RSA, base.withSecret(SECRET), jti),
                Arguments.of("node-bound", EC, base.withNode(NODE), nodeOnly));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundTrips")
    void issuedTokensAuthenticate(
            String name, KeyPair key, ServiceAccountTokenIssuer.TokenSpec spec, Map<String, List<String>> extra) {
        String token = issuer(key, T0).issue(spec).token();
        AuthenticationResult result =
                await(authenticator(defaultStore(), T0.plusSeconds(10), RSA, EC).authenticateToken(token, API));
        assertEquals(
                new AuthenticationResult.Authenticated(
                        new UserInfo(
                                "system:serviceaccount:ns1:sa1",
                                "uid-sa",
                                List.of("system:serviceaccounts", "system:serviceaccounts:ns1"),
                                extra),
                        API),
                result);
    }

    private static AuthenticationResult check(
            String token, ServiceAccountLookup store, Instant at, List<String> audiences) {
        return await(authenticator(store, at, RSA).authenticateToken(token, audiences));
    }

    private static String token(ServiceAccountTokenIssuer.TokenSpec spec) {
        return issuer(RSA, T0).issue(spec).token();
    }

    static Stream<Arguments> rejections() {
        var base = ServiceAccountTokenIssuer.TokenSpec.of(SA);
        Instant soon = T0.plusSeconds(10);
        Instant terminatingLongAgo = T0.minusSeconds(120);
        return Stream.of(
                Arguments.of(
                        "expired beyond leeway",
                        token(base),
                        defaultStore(),
                        T0.plusSeconds(3600 + 61),
                        API,
                        "service account token has expired"),
                Arguments.of(
                        "not yet valid beyond leeway",
                        token(base),
                        defaultStore(),
                        T0.minusSeconds(61),
                        API,
                        "service account token is not valid yet"),
                Arguments.of(
                        "wrong audience",
                        token(base.withAudiences(List.of("vault"))),
                        defaultStore(),
                        soon,
                        API,
                        "token audiences [\"vault\"] is invalid for the target audiences [\"" + ISSUER + "\"]"),
                Arguments.of(
                        "requested audience not in token",
                        token(base),
                        defaultStore(),
                        soon,
                        List.of("vault", "x"),
                        "token audiences [\"" + ISSUER + "\"] is invalid for the target audiences [\"vault\" \"x\"]"),
                Arguments.of(
                        "service account gone",
                        token(base),
                        Store.with(),
                        soon,
                        API,
                        "serviceaccounts \"sa1\" not found"),
                Arguments.of(
                        "service account recreated",
                        token(base),
                        Store.with(new ServiceAccountRef("ns1", "sa1", "new-uid")),
                        soon,
                        API,
                        "service account UID (new-uid) does not match claim (uid-sa)"),
                Arguments.of(
                        "service account terminating",
                        token(base),
                        Store.with(new ServiceAccountRef("ns1", "sa1", "uid-sa", terminatingLongAgo)),
                        soon,
                        API,
                        "service account ns1/sa1 has been deleted"),
                Arguments.of(
                        "bound pod gone",
                        token(base.withPod(POD, null)),
                        Store.with(SA),
                        soon,
                        API,
                        "service account token has been invalidated"),
                Arguments.of(
                        "bound pod recreated",
                        token(base.withPod(POD, null)),
                        Store.with(SA).object("pod", "ns1", new BoundObject("pod1", "other")),
                        soon,
                        API,
                        "pod UID (other) does not match service account pod ref claim (uid-pod)"),
                Arguments.of(
                        "bound pod terminating",
                        token(base.withPod(POD, null)),
                        Store.with(SA).object("pod", "ns1", new BoundObject("pod1", "uid-pod", terminatingLongAgo)),
                        soon,
                        API,
                        "service account token has been invalidated"),
                Arguments.of(
                        "bound secret recreated",
                        token(base.withSecret(SECRET)),
                        Store.with(SA).object("secret", "ns1", new BoundObject("secret1", "other")),
                        soon,
                        API,
                        "secret UID (other) does not match service account secret ref claim (uid-secret)"),
                Arguments.of(
                        "bound node recreated",
                        token(base.withNode(NODE)),
                        Store.with(SA).object("node", "", new BoundObject("node1", "other")),
                        soon,
                        API,
                        "node UID (other) does not match service account node ref claim (uid-node)"),
                Arguments.of(
                        "signed by an unknown key",
                        issuer(TestCerts.rsa(), T0).issue(base).token(),
                        defaultStore(),
                        soon,
                        API,
                        "invalid signature, no keys found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void rejectsWithClaimsGoTexts(
            String name,
            String token,
            ServiceAccountLookup store,
            Instant at,
            List<String> audiences,
            String expected) {
        assertEquals(new AuthenticationResult.Failed(expected), check(token, store, at, audiences));
    }

    @Test
    void leewayIsOneMinuteInclusive() {
        String token = token(ServiceAccountTokenIssuer.TokenSpec.of(SA));
        assertInstanceOf(
                AuthenticationResult.Authenticated.class, check(token, defaultStore(), T0.plusSeconds(3660), API));
        assertInstanceOf(
                AuthenticationResult.Authenticated.class, check(token, defaultStore(), T0.minusSeconds(60), API));
        Store terminatingRecently = Store.with(new ServiceAccountRef("ns1", "sa1", "uid-sa", T0.minusSeconds(30)));
        assertInstanceOf(AuthenticationResult.Authenticated.class, check(token, terminatingRecently, T0, API));
    }

    @Test
    void audiencesAreTheSharedOnesInRequestedOrder() {
        String token = token(ServiceAccountTokenIssuer.TokenSpec.of(SA).withAudiences(List.of("a", "b", "c")));
        AuthenticationResult.Authenticated ok = assertInstanceOf(
                AuthenticationResult.Authenticated.class, check(token, defaultStore(), T0, List.of("c", "x", "a")));
        assertEquals(List.of("c", "a"), ok.audiences());
    }

    private static String craft(KeyPair key, TokenClaims claims) {
        try {
            var header = JWSHeader.parse(Base64URL.encode(
                    "{\"alg\":\"RS256\",\"kid\":\"" + ServiceAccountKeys.keyId(key.getPublic()) + "\"}"));
            var jws = new JWSObject(header, new Payload(claims.toJson()));
            jws.sign(new RSASSASigner(key.getPrivate()));
            return jws.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static TokenClaims claims(String issuer, List<String> aud, Long exp, Long nbf, Long iat) {
        return new TokenClaims(
                issuer,
                "system:serviceaccount:ns1:sa1",
                aud,
                exp,
                nbf,
                iat,
                "",
                new TokenClaims.Kubernetes("ns1", new BoundObject("sa1", "uid-sa"), null, null, null, null));
    }

    @Test
    void issuedInTheFutureAndLegacyAudienceAndNoJti() {
        String future = craft(RSA, claims(ISSUER, API, T + 7200, null, T + 3600));
        assertEquals(
                new AuthenticationResult.Failed("service account token is issued in the future"),
                check(future, defaultStore(), T0, API));
        // no aud: only the API audiences; no jti: no credential id; no exp: never expires
        String legacyShaped = craft(RSA, claims(ISSUER, List.of(), null, null, null));
        assertEquals(
                new AuthenticationResult.Authenticated(
                        new UserInfo(
                                "system:serviceaccount:ns1:sa1",
                                "uid-sa",
                                List.of("system:serviceaccounts", "system:serviceaccounts:ns1"),
                                Map.of()),
                        API),
                check(legacyShaped, defaultStore(), T0.plusSeconds(999_999_999L), API));
    }

    @Test
    void notMineUnlessAJwtFromAConfiguredIssuer() {
        assertEquals(AuthenticationResult.NOT_MINE, check("plain-static-token", defaultStore(), T0, API));
        assertEquals(AuthenticationResult.NOT_MINE, check("{\"iss\":\"" + ISSUER + "\"}", defaultStore(), T0, API));
        assertEquals(
                AuthenticationResult.NOT_MINE,
                check(craft(RSA, claims("https://elsewhere", API, T + 60, T, T)), defaultStore(), T0, API));
        // a second configured issuer is accepted
        assertInstanceOf(
                AuthenticationResult.Authenticated.class,
                check(craft(RSA, claims("https://old.example", API, T + 600, T, T)), defaultStore(), T0, API));
    }

    @Test
    void tamperedOrForeignSignaturesFail() {
        String token = token(ServiceAccountTokenIssuer.TokenSpec.of(SA));
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(part(token, 1).replace("sa1", "sa2").getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        assertEquals(
                new AuthenticationResult.Failed("go-jose/go-jose: error in cryptographic primitive"),
                check(tampered, defaultStore(), T0, API));
        // without a kid every key is tried; each failure is the same message, aggregated once
        String noKid = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + "." + parts[2];
        assertEquals(
                new AuthenticationResult.Failed("go-jose/go-jose: error in cryptographic primitive"),
                await(authenticator(defaultStore(), T0, RSA, TestCerts.rsa()).authenticateToken(noKid, API)));
    }

    @Test
    void lookupFailureRejectsWithItsMessage() {
        ServiceAccountLookup broken =
                (namespace, name) -> Future.failedFuture(new IllegalStateException("etcd unavailable"));
        assertEquals(
                new AuthenticationResult.Failed("etcd unavailable"),
                check(token(ServiceAccountTokenIssuer.TokenSpec.of(SA)), broken, T0, API));
    }
}
