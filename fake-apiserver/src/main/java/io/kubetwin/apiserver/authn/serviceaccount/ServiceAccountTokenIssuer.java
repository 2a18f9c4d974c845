package io.kubetwin.apiserver.authn.serviceaccount;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import io.kubetwin.apiserver.api.Status;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Signs bound service-account tokens as TokenRequest does (pkg/registry/core/serviceaccount/storage/token.go
 * with pkg/serviceaccount/claims.go and jwt.go): claims {@code iss, sub, aud, exp, iat, nbf, jti} and
 * {@code kubernetes.io: {namespace, serviceaccount{name,uid}, pod|secret|node refs, warnafter}}, signed RS256
 * for RSA keys and ES256/384/512 for EC keys, with {@code kid} the unpadded base64url SHA-256 of the DER
 * public key. Expiration defaults to 3600 s and must be at least 600 s; {@code --service-account-max-token-expiration}
 * caps it; a pod-bound request for exactly 3607 s for API audiences is stretched to a year with
 * {@code warnafter} at the requested time ({@code --service-account-extend-token-expiration}, on by default);
 * audiences default to the API audiences. The request's validation (the 422) and the lookups
 * of the account and bound objects belong to the TokenRequest handler. Immutable and thread-safe.
 */
public final class ServiceAccountTokenIssuer {
    public static final long DEFAULT_EXPIRATION_SECONDS = 3600;
    public static final long MIN_EXPIRATION_SECONDS = 600;
    public static final long MAX_EXPIRATION_SECONDS = 1L << 32;
    /** WarnOnlyBoundTokenExpirationSeconds: what the kubelet asks for projected tokens. */
    public static final long WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3600 + 7;
    /** ExpirationExtensionSeconds. */
    public static final long EXPIRATION_EXTENSION_SECONDS = 24L * 365 * 60 * 60;

    /**
     * Server flags that shape tokens.
     *
     * @param extendExpiration {@code --service-account-extend-token-expiration} (default true)
     * @param maxExpirationSeconds {@code --service-account-max-token-expiration} in seconds, 0 for no cap
     */
    public record Options(boolean extendExpiration, long maxExpirationSeconds) {
        public static Options defaults() {
            return new Options(true, 0);
        }
    }

    /**
     * A token request. {@code expirationSeconds} null means the default; {@code audiences} empty means the
     * API audiences; at most one of secret and (pod, node) is set; node with pod is the pod's node.
     */
    public record TokenSpec(
            ServiceAccountRef serviceAccount,
            List<String> audiences,
            Long expirationSeconds,
            BoundObject pod,
            BoundObject secret,
            BoundObject node) {
        public TokenSpec {
            audiences = List.copyOf(audiences == null ? List.of() : audiences);
        }

        public static TokenSpec of(ServiceAccountRef serviceAccount) {
            return new TokenSpec(serviceAccount, List.of(), null, null, null, null);
        }

        public TokenSpec withAudiences(List<String> values) {
            return new TokenSpec(serviceAccount, values, expirationSeconds, pod, secret, node);
        }

        public TokenSpec withExpirationSeconds(Long seconds) {
            return new TokenSpec(serviceAccount, audiences, seconds, pod, secret, node);
        }

        public TokenSpec withPod(BoundObject boundPod, BoundObject podNode) {
            return new TokenSpec(serviceAccount, audiences, expirationSeconds, boundPod, secret, podNode);
        }

        public TokenSpec withSecret(BoundObject boundSecret) {
            return new TokenSpec(serviceAccount, audiences, expirationSeconds, pod, boundSecret, node);
        }

        public TokenSpec withNode(BoundObject boundNode) {
            return new TokenSpec(serviceAccount, audiences, expirationSeconds, pod, secret, boundNode);
        }
    }

    /**
     * A signed token and what the TokenRequest status and spec report.
     *
     * @param expirationTimestamp {@code status.expirationTimestamp}: issue time plus the (capped) requested
     *                            expiration, not the extended one
     * @param expirationSeconds the {@code spec.expirationSeconds} after defaulting and capping
     * @param audiences the {@code spec.audiences} after defaulting
     */
    public record IssuedToken(
            String token, Instant expirationTimestamp, long expirationSeconds, List<String> audiences, String jti) {}

    private final String issuer;
    private final JWSSigner signer;
    private final String header;
    private final List<String> apiAudiences;
    private final Clock clock;
    private final Supplier<String> jtiSource;
    private final Options options;

    public ServiceAccountTokenIssuer(String issuer, KeyPair signingKey, List<String> apiAudiences) {
        this(
                issuer,
                signingKey,
                apiAudiences,
                Clock.systemUTC(),
                () -> UUID.randomUUID().toString(),
                Options.defaults());
    }

    public ServiceAccountTokenIssuer(
            String issuer,
            KeyPair signingKey,
            List<String> apiAudiences,
            Clock clock,
            Supplier<String> jtiSource,
            Options options) {
        this.issuer = issuer;
        this.apiAudiences = List.copyOf(apiAudiences);
        this.clock = clock;
        this.jtiSource = jtiSource;
        this.options = options;
        String kid = ServiceAccountKeys.keyId(signingKey.getPublic());
        String alg;
        if (signingKey.getPrivate() instanceof RSAPrivateKey rsa) {
            alg = "RS256";
            signer = new RSASSASigner(rsa, true);
        } else if (signingKey.getPrivate() instanceof ECPrivateKey ec) {
            int bits = ((ECPublicKey) signingKey.getPublic())
                    .getParams()
                    .getCurve()
                    .getField()
                    .getFieldSize();
            alg = switch (bits) {
                case 256 -> "ES256";
                case 384 -> "ES384";
                case 521 -> "ES512";
                default -> throw new IllegalArgumentException("unknown private key curve, must be 256, 384, or 521");
            };
            try {
                signer = new ECDSASigner(ec);
            } catch (JOSEException e) {
                throw new IllegalArgumentException("could not generate signer for ECDSA keypair: " + e.getMessage(), e);
            }
        } else {
            throw new IllegalArgumentException("unknown private key type "
                    + signingKey.getPrivate().getClass().getName()
                    + ", must be *rsa.PrivateKey, *ecdsa.PrivateKey, or jose.OpaqueSigner");
        }
        // go-jose writes the protected header with sorted keys and nothing else
        this.header = "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}";
    }

    public String issuer() {
        return issuer;
    }

    /**
     * The field errors of {@code spec.expirationSeconds} (ValidateTokenRequest), for the handler's 422
     * ({@code Statuses.invalid}); empty when valid.
     */
    public static List<Status.Cause> validateExpiration(long expirationSeconds) {
        List<Status.Cause> causes = new ArrayList<>();
        if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
            causes.add(new Status.Cause(
                    "FieldValueInvalid",
                    "Invalid value: " + expirationSeconds + ": may not specify a duration less than 10 minutes",
                    "spec.expirationSeconds"));
        }
        if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
            causes.add(new Status.Cause(
                    "FieldValueInvalid",
                    "Invalid value: " + expirationSeconds + ": may not specify a duration larger than 2^32 seconds",
                    "spec.expirationSeconds"));
        }
        return causes;
    }

    /** Signs a token; throws IllegalArgumentException for a spec the handler should have rejected. */
    public IssuedToken issue(TokenSpec spec) {
        long requested = spec.expirationSeconds() == null ? DEFAULT_EXPIRATION_SECONDS : spec.expirationSeconds();
        List<Status.Cause> causes = validateExpiration(requested);
        if (!causes.isEmpty()) {
            throw new IllegalArgumentException(
                    causes.get(0).field() + ": " + causes.get(0).message());
        }
        if (spec.secret() != null && (spec.pod() != null || spec.node() != null)) {
            throw new IllegalArgumentException("internal error, token can only be bound to one object type");
        }
        List<String> audiences = spec.audiences().isEmpty() ? apiAudiences : spec.audiences();
        if (options.maxExpirationSeconds() > 0 && requested > options.maxExpirationSeconds()) {
            requested = options.maxExpirationSeconds();
        }
        long lifetime = requested;
        Long warnAfter = null;
        if (options.extendExpiration()
                && spec.pod() != null
                && requested == WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS
                && apiAudiences.containsAll(audiences)) {
            warnAfter = requested;
            lifetime = EXPIRATION_EXTENSION_SECONDS;
        }
        long now = clock.instant().getEpochSecond();
        ServiceAccountRef sa = spec.serviceAccount();
        String jti = jtiSource.get();
        TokenClaims.Kubernetes kubernetes = new TokenClaims.Kubernetes(
                sa.namespace(),
                new BoundObject(sa.name(), sa.uid()),
                ref(spec.pod()),
                ref(spec.secret()),
                ref(spec.node()),
                warnAfter == null ? null : now + warnAfter);
        TokenClaims claims = new TokenClaims(
                issuer,
                ServiceAccounts.makeUsername(sa.namespace(), sa.name()),
                audiences,
                now + lifetime,
                now,
                now,
                jti,
                kubernetes);
        return new IssuedToken(
                sign(claims.toJson()), Instant.ofEpochSecond(now + requested), requested, audiences, jti);
    }

    private static BoundObject ref(BoundObject object) {
        return object == null ? null : new BoundObject(object.name(), object.uid());
    }

    private String sign(String payload) {
        try {
            JWSObject jws = new JWSObject(JWSHeader.parse(Base64URL.encode(header)), new Payload(payload));
            jws.sign(signer);
            return jws.serialize();
        } catch (JOSEException | ParseException e) {
            throw new IllegalStateException("failed to generate token: " + e.getMessage(), e);
        }
    }
}
