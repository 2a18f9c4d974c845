package io.kubetwin.apiserver.authn.serviceaccount;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import io.kubetwin.apiserver.authn.Audiences;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.TokenAuthenticator;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates service-account JWTs issued for one of the configured issuers, as
 * pkg/serviceaccount/jwt.go (JWTTokenAuthenticator) with the validator of claims.go does in 1.34:
 * <ol>
 * <li>a token that is not a compact JWS, or whose (unverified) {@code iss} is not a configured issuer, is "not mine";</li>
 * <li>the signature is checked with the key whose id is the token's {@code kid} (all keys when it has none):
 *     no such key is {@code invalid signature, no keys found}, a bad signature
 *     {@code go-jose/go-jose: error in cryptographic primitive};</li>
 * <li>the token's audiences (the API audiences for a token without any) must meet the requested ones:
 *     {@code token audiences ["x"] is invalid for the target audiences ["y"]};</li>
 * <li>{@code nbf}, {@code exp}, {@code iat} with one minute of leeway: {@code service account token is not valid
 *     yet}, {@code service account token has expired}, {@code service account token is issued in the future};</li>
 * <li>the account must exist with the claimed UID and not be terminating, and so must a bound secret, pod, or
 *     (for node-bound tokens) node: {@code serviceaccounts "<name>" not found},
 *     {@code service account UID (<a>) does not match claim (<b>)}, {@code service account <ns>/<name> has been
 *     deleted}, {@code service account token has been invalidated}, {@code pod UID (<a>) does not match service
 *     account pod ref claim (<b>)} (and the secret and node forms).</li>
 * </ol>
 * The user is {@code system:serviceaccount:<ns>:<name>} in {@code system:serviceaccounts} and
 * {@code system:serviceaccounts:<ns>}, UID the account's, extras pod name/uid, node name/uid and
 * credential id {@code JTI=<jti>}. Legacy secret-based tokens ({@code iss: kubernetes/serviceaccount}) are not
 * handled. Immutable and thread-safe.
 */
public final class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
    /** jwt.DefaultLeeway. */
    static final long LEEWAY_SECONDS = 60;

    static final String CRYPTO_FAILURE = "go-jose/go-jose: error in cryptographic primitive";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512);
    private static final Set<JWSAlgorithm> EC_ALGORITHMS =
            Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final Set<String> issuers;
    private final List<PublicKey> allKeys;
    private final Map<String, List<PublicKey>> keysById;
    private final List<String> implicitAudiences;
    private final ServiceAccountLookup lookup;
    private final Clock clock;

    /**
     * @param issuers {@code --service-account-issuer} values (the first is the one tokens are signed for)
     * @param keys the public keys of {@code --service-account-key-file}, in file order
     * @param apiAudiences {@code --api-audiences}
     */
    public ServiceAccountTokenAuthenticator(
            List<String> issuers,
            List<PublicKey> keys,
            List<String> apiAudiences,
            ServiceAccountLookup lookup,
            Clock clock) {
        this.issuers = Set.copyOf(issuers);
        this.allKeys = List.copyOf(keys);
        Map<String, List<PublicKey>> byId = new LinkedHashMap<>();
        for (PublicKey key : keys) {
            byId.computeIfAbsent(ServiceAccountKeys.keyId(key), id -> new ArrayList<>())
                    .add(key);
        }
        byId.replaceAll((id, list) -> List.copyOf(list));
        this.keysById = Map.copyOf(byId);
        this.implicitAudiences = List.copyOf(apiAudiences);
        this.lookup = lookup;
        this.clock = clock;
    }

    @Override
    public Future<AuthenticationResult> authenticateToken(String token, List<String> audiences) {
        if (!hasCorrectIssuer(token)) {
            return Future.succeededFuture(AuthenticationResult.NOT_MINE);
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(token);
        } catch (ParseException e) {
            return Future.succeededFuture(AuthenticationResult.NOT_MINE);
        }
        String kid = jws.getHeader().getKeyID();
        List<PublicKey> keys = kid == null || kid.isEmpty() ? allKeys : keysById.getOrDefault(kid, List.of());
        if (keys.isEmpty()) {
            return failed("invalid signature, no keys found");
        }
        List<String> errors = new ArrayList<>();
        TokenClaims claims = null;
        for (PublicKey key : keys) {
            if (!verifies(jws, key)) {
                errors.add(CRYPTO_FAILURE);
                continue;
            }
            try {
                claims = TokenClaims.parse(jws.getPayload().toString());
                break;
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        if (claims == null) {
            return failed(GoText.aggregate(errors));
        }
        if (!issuers.contains(claims.issuer())) {
            return failed("token issuer " + GoText.quote(claims.issuer()) + " is invalid");
        }
        // a token without audiences is a legacy token, valid for the API audiences only
        List<String> tokenAudiences = claims.audience().isEmpty() ? implicitAudiences : claims.audience();
        List<String> requested = audiences.isEmpty() ? implicitAudiences : audiences;
        List<String> shared = Audiences.intersect(tokenAudiences, requested);
        if (shared.isEmpty() && !implicitAudiences.isEmpty()) {
            return failed("token audiences " + GoText.quoteList(tokenAudiences)
                    + " is invalid for the target audiences " + GoText.quoteList(requested));
        }
        Instant now = clock.instant();
        String timeError = validateTimes(claims, now);
        if (timeError != null) {
            return failed(timeError);
        }
        return new BoundValidation(claims, now.minusSeconds(LEEWAY_SECONDS))
                .run()
                .map(result -> result instanceof AuthenticationResult.Authenticated ok
                        ? new AuthenticationResult.Authenticated(ok.user(), shared)
                        : result)
                .otherwise(e -> new AuthenticationResult.Failed(String.valueOf(e.getMessage())));
    }

    /** jwtTokenAuthenticator.hasCorrectIssuer: a cheap look at the unverified payload's {@code iss}. */
    private boolean hasCorrectIssuer(String token) {
        if (token.strip().startsWith("{")) {
            return false;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[1].contains("=")) {
            return false;
        }
        try {
            JsonNode payload =
                    MAPPER.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            JsonNode iss = payload == null ? null : payload.get("iss");
            String issuer = iss == null || iss.isNull() ? "" : iss.isTextual() ? iss.asText() : null;
            return issuer != null && issuers.contains(issuer);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean verifies(JWSObject jws, PublicKey key) {
        JWSAlgorithm alg = jws.getHeader().getAlgorithm();
        try {
            if (key instanceof RSAPublicKey rsa && RSA_ALGORITHMS.contains(alg)) {
                return jws.verify(new RSASSAVerifier(rsa));
            }
            if (key instanceof ECPublicKey ec && EC_ALGORITHMS.contains(alg)) {
                return jws.verify(new ECDSAVerifier(ec));
            }
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
        return false;
    }

    /** go-jose Claims.Validate with jwt.DefaultLeeway, mapped to claims.go's messages. */
    private static String validateTimes(TokenClaims claims, Instant now) {
        Instant late = now.plusSeconds(LEEWAY_SECONDS);
        Instant early = now.minusSeconds(LEEWAY_SECONDS);
        if (claims.notBefore() != null && late.isBefore(Instant.ofEpochSecond(claims.notBefore()))) {
            return "service account token is not valid yet";
        }
        if (claims.expiry() != null && early.isAfter(Instant.ofEpochSecond(claims.expiry()))) {
            return "service account token has expired";
        }
        if (claims.issuedAt() != null && late.isBefore(Instant.ofEpochSecond(claims.issuedAt()))) {
            return "service account token is issued in the future";
        }
        return null;
    }

    private static Future<AuthenticationResult> failed(String error) {
        return Future.succeededFuture(new AuthenticationResult.Failed(error));
    }

    /** The object checks of claims.go's validator, in its order, over the asynchronous lookup. */
    private final class BoundValidation {
        private static final String INVALIDATED = "service account token has been invalidated";
        private final TokenClaims claims;
        private final TokenClaims.Kubernetes k8s;
        private final Instant invalidIfDeletedBefore;

        BoundValidation(TokenClaims claims, Instant invalidIfDeletedBefore) {
            this.claims = claims;
            this.k8s = claims.kubernetes();
            this.invalidIfDeletedBefore = invalidIfDeletedBefore;
        }

        Future<AuthenticationResult> run() {
            String namespace = k8s.namespace();
            BoundObject saRef = k8s.serviceAccount();
            if (saRef.name().isEmpty()) {
                return failed("resource name may not be empty");
            }
            return lookup.find(namespace, saRef.name()).compose(found -> {
                if (found.isEmpty()) {
                    return failed("serviceaccounts " + GoText.quote(saRef.name()) + " not found");
                }
                ServiceAccountRef sa = found.get();
                if (!sa.uid().equals(saRef.uid())) {
                    return failed("service account UID (" + sa.uid() + ") does not match claim (" + saRef.uid() + ")");
                }
                if (deleted(sa.deletionTimestamp())) {
                    return failed("service account " + namespace + "/" + saRef.name() + " has been deleted");
                }
                return checkSecret(namespace);
            });
        }

        private Future<AuthenticationResult> checkSecret(String namespace) {
            BoundObject ref = k8s.secret();
            if (ref == null) {
                return checkPod(namespace);
            }
            return lookup.findSecret(namespace, ref.name()).compose(found -> {
                String error =
                        compare(found, ref, "secret UID (%s) does not match service account secret ref claim (%s)");
                return error != null ? failed(error) : checkPod(namespace);
            });
        }

        private Future<AuthenticationResult> checkPod(String namespace) {
            BoundObject ref = k8s.pod();
            if (ref == null) {
                return checkNode();
            }
            return lookup.findPod(namespace, ref.name()).compose(found -> {
                String error = compare(found, ref, "pod UID (%s) does not match service account pod ref claim (%s)");
                return error != null ? failed(error) : checkNode();
            });
        }

        private Future<AuthenticationResult> checkNode() {
            BoundObject ref = k8s.node();
            if (ref == null || k8s.pod() != null) {
                // for a pod-bound token the node claims are only reported, not checked
                return Future.succeededFuture(authenticated());
            }
            return lookup.findNode(ref.name()).compose(found -> {
                String error = compare(found, ref, "node UID (%s) does not match service account node ref claim (%s)");
                return error != null ? failed(error) : Future.succeededFuture(authenticated());
            });
        }

        private String compare(Optional<BoundObject> found, BoundObject ref, String mismatch) {
            if (found.isEmpty()) {
                return INVALIDATED;
            }
            if (!ref.uid().equals(found.get().uid())) {
                return String.format(mismatch, found.get().uid(), ref.uid());
            }
            return deleted(found.get().deletionTimestamp()) ? INVALIDATED : null;
        }

        private boolean deleted(Instant deletionTimestamp) {
            return deletionTimestamp != null && deletionTimestamp.isBefore(invalidIfDeletedBefore);
        }

        private AuthenticationResult authenticated() {
            BoundObject pod = k8s.pod();
            BoundObject node = k8s.node();
            ServiceAccounts.Info info = new ServiceAccounts.Info(
                    k8s.namespace(),
                    k8s.serviceAccount().name(),
                    k8s.serviceAccount().uid(),
                    pod == null ? "" : pod.name(),
                    pod == null ? "" : pod.uid(),
                    node == null ? "" : node.name(),
                    node == null ? "" : node.uid(),
                    claims.id().isEmpty() ? "" : "JTI=" + claims.id());
            return new AuthenticationResult.Authenticated(info.toUserInfo());
        }
    }
}
