package io.kubetwin.apiserver.storage.encryption.kms;

import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.pki.GoText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One {@code kms} provider with {@code apiVersion: v2} (kmsPrefixTransformer and kmsv2PluginProbe in
 * k8s.io/apiserver/pkg/server/options/encryptionconfig/config.go): the plugin's client, the write DEK (a seed)
 * and the Status probe that keeps it current. The probe asks the plugin's Status; when the key ID it reports is not
 * the one the current seed was wrapped with, a new seed is generated and wrapped (Encrypt) and becomes the write
 * DEK; a confirmed seed may encrypt for 3 minutes after the last healthy status. The probe runs once when the
 * provider starts (a plugin that does not answer does not stop the start-up: reads and writes fail until it
 * does), then every minute, or every 10 seconds while it fails; the health check reuses an answer for 20 seconds
 * (3 after a failure).
 *
 * <p>Created when the configuration is loaded, connected by {@link #start()} and released by {@link #close()}
 * (counted, so that several servers may share one configuration). Thread-safe.
 */
public final class KmsV2Provider implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KmsV2Provider.class.getName());

    static final Duration POSITIVE_INTERVAL = Duration.ofMinutes(1);
    static final Duration NEGATIVE_INTERVAL = Duration.ofSeconds(10);
    static final Duration WRITE_DEK_MAX_TTL = Duration.ofMinutes(3);
    static final Duration HEALTHZ_POSITIVE_TTL = Duration.ofSeconds(20);
    static final Duration HEALTHZ_NEGATIVE_TTL = Duration.ofSeconds(3);

    private final String name;
    private final String endpoint;
    private final Duration timeout;
    private final Clock clock;
    private final SecureRandom random;
    private final Function<KmsV2Provider, KmsService> connect;
    private final Function<byte[], ValueTransformer> gcm;
    private final DekCache cache;
    private final ValueTransformer transformer;
    private final AtomicReference<KmsV2State> state = new AtomicReference<>(KmsV2State.EMPTY);
    private final Object probeLock = new Object();

    private int users;
    private KmsService service;
    private ScheduledExecutorService poller;
    // guarded by probeLock
    private String lastError;
    private Instant lastReceived = Instant.MIN;
    private Duration ttl = HEALTHZ_NEGATIVE_TTL;
    private String version = "";

    /**
     * @param random the seeds' source
     * @param gcm AES-GCM with a random nonce and the storage key as authenticated data, for a key (the aesgcm
     *     provider's transformer, which KMS v2 encrypts with under each derived key)
     * @param connect opens the plugin's client when the provider starts ({@link #grpc} for the real one)
     */
    public KmsV2Provider(
            String name,
            String endpoint,
            Duration timeout,
            Clock clock,
            SecureRandom random,
            Function<byte[], ValueTransformer> gcm,
            Function<KmsV2Provider, KmsService> connect) {
        this.name = name;
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.clock = clock;
        this.random = random;
        this.connect = connect;
        this.gcm = gcm;
        this.cache = new DekCache(clock);
        this.transformer = new KmsV2Transformer(new Delegate(), this::currentState, cache, clock, gcm);
    }

    /** The gRPC client of the plugin at the provider's endpoint ({@code unix:///path}). */
    public static KmsService grpc(KmsV2Provider p) {
        return new GrpcKmsService(GrpcKmsService.socketPath(p.endpoint), p.timeout);
    }

    /** The plugin's call timeout (the configuration's {@code timeout}). */
    public Duration timeout() {
        return timeout;
    }

    public String name() {
        return name;
    }

    /** The storage prefix of this provider's values: {@code k8s:enc:kms:v2:NAME:}. */
    public String prefix() {
        return "k8s:enc:kms:v2:" + name + ":";
    }

    /** What follows the prefix: the envelope transformer. */
    public ValueTransformer transformer() {
        return transformer;
    }

    /** Connects to the plugin and probes it once (blocking up to the timeout), then keeps probing it. */
    public void start() {
        synchronized (this) {
            if (users > 0) {
                users++;
                return;
            }
            service = connect.apply(this);
            users = 1;
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kms-v2-probe-" + name);
                t.setDaemon(true);
                return t;
            });
        }
        String err = check();
        if (err != null) {
            LOG.log(Level.WARNING, "kms plugin failed health check probe name={0}: {1}", new Object[] {name, err});
        }
        schedule(err == null);
    }

    private synchronized void schedule(boolean healthy) {
        if (poller == null) {
            return;
        }
        Duration next = healthy ? POSITIVE_INTERVAL : NEGATIVE_INTERVAL;
        poller.schedule(
                () -> {
                    String err = check();
                    if (err != null) {
                        LOG.log(Level.FINE, "kms plugin failed health check probe name={0}: {1}", new Object[] {
                            name, err
                        });
                    }
                    schedule(err == null);
                },
                next.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        KmsService closing;
        synchronized (this) {
            if (users == 0 || --users > 0) {
                return;
            }
            poller.shutdownNow();
            poller = null;
            closing = service;
            service = null;
        }
        closing.close();
        synchronized (probeLock) {
            state.set(KmsV2State.EMPTY);
            lastError = null;
            lastReceived = Instant.MIN;
            ttl = HEALTHZ_NEGATIVE_TTL;
            version = "";
        }
    }

    /**
     * The health check {@code kms-provider-N} (kmsv2PluginProbe.check): null when healthy, else the error text
     * kube-apiserver's check returns. Called by the probe loop and by /healthz and /readyz; an answer is reused
     * for its TTL.
     */
    public String check() {
        synchronized (probeLock) {
            Instant now = clock.instant();
            if (lastReceived != Instant.MIN
                    && Duration.between(lastReceived, now).compareTo(ttl) < 0) {
                return lastError;
            }
            KmsMessages.StatusResponse status;
            try {
                status = service().status();
            } catch (KmsService.KmsException e) {
                // upstream keeps the bare error, so an answer reused within its TTL is not wrapped
                remember(e.getMessage());
                return "failed to perform status section of the healthz check for KMS Provider " + name + ", error: "
                        + e.getMessage();
            }
            String err = healthyAndMaybeRotate(status);
            remember(err);
            return err;
        }
    }

    private void remember(String err) {
        lastError = err;
        lastReceived = clock.instant();
        ttl = err == null ? HEALTHZ_POSITIVE_TTL : HEALTHZ_NEGATIVE_TTL;
    }

    /** isKMSv2ProviderHealthyAndMaybeRotateDEK. */
    private String healthyAndMaybeRotate(KmsMessages.StatusResponse status) {
        List<String> errs = new ArrayList<>();
        if (!status.healthz().equals("ok")) {
            errs.add("got unexpected healthz status: " + status.healthz());
        }
        if (!status.version().equals("v2") && !status.version().equals("v2beta1")) {
            errs.add("expected KMSv2 API version v2, got " + status.version());
        } else {
            if (version.isEmpty()) {
                version = status.version();
            }
            if (!version.equals(status.version())) {
                errs.add("KMSv2 API version should not change after the initial status response version " + version
                        + ", got " + status.version());
            }
        }
        String keyIdError = EncryptedObject.invalidKeyId(status.keyId());
        if (keyIdError != null) {
            errs.add("got invalid KMSv2 KeyID hash " + GoText.quote(hash(status.keyId())) + ": " + keyIdError);
        } else {
            String rotation =
                    rotateOnKeyIdChange(status.keyId(), UUID.randomUUID().toString());
            if (rotation != null) {
                errs.add(rotation);
            }
        }
        if (errs.isEmpty()) {
            return null;
        }
        return "kmsv2 Provider " + name + " is not healthy, error: " + GoText.aggregate(errs);
    }

    /**
     * rotateDEKOnKeyIDChange: keeps the seed while the plugin's key ID is the one it was wrapped with (moving its
     * expiry on), else wraps a new one; on failure the current seed stays usable until it expires.
     */
    private String rotateOnKeyIdChange(String statusKeyId, String uid) {
        KmsV2State current = state.get();
        String errState = invalidState(current);
        Instant expiration = clock.instant().plus(WRITE_DEK_MAX_TTL);
        boolean stateUsesSeed = current.header() != null
                && current.header().sourceType() == EncryptedObject.HKDF_SHA256_XNONCE_AES_GCM_SEED;
        if (errState == null && current.header().keyId().equals(statusKeyId) && stateUsesSeed) {
            state.set(current.withExpiration(expiration));
            return null;
        }
        String errGen = null;
        EncryptedObject header = null;
        byte[] seed = new byte[ExtendedNonceGcm.SEED_SIZE];
        random.nextBytes(seed);
        try {
            KmsMessages.EncryptResponse wrapped = service().encrypt(uid, seed);
            header = new EncryptedObject(
                    new byte[] {0},
                    wrapped.keyId(),
                    wrapped.ciphertext(),
                    wrapped.annotations(),
                    EncryptedObject.HKDF_SHA256_XNONCE_AES_GCM_SEED);
            errGen = header.invalid();
        } catch (KmsService.KmsException e) {
            errGen = "failed to encrypt DEK, error: " + e.getMessage();
        }
        if (errGen == null && header.keyId().equals(statusKeyId)) {
            byte[] cacheKey = DekCache.key(
                    header.sourceType(), header.encryptedDekSource(), header.keyId(), header.annotations());
            state.set(new KmsV2State(new ExtendedNonceGcm(seed, gcm), header, uid, expiration, cacheKey));
            LOG.log(Level.FINE, "successfully rotated DEK uid={0} newKeyIDHash={1}", new Object[] {
                uid, hash(header.keyId())
            });
            return null;
        }
        String encryptKeyId = header == null ? "" : header.keyId();
        String stateKeyId = current.header() == null ? "" : current.header().keyId();
        return "failed to rotate DEK uid=" + GoText.quote(uid) + ", useSeed=true, errState=" + goError(errState)
                + ", errGen=" + goError(errGen) + ", statusKeyIDHash=" + GoText.quote(hash(statusKeyId))
                + ", encryptKeyIDHash=" + GoText.quote(hash(encryptKeyId)) + ", stateKeyIDHash="
                + GoText.quote(hash(stateKeyId)) + ", expirationTimestamp="
                + (current.expiration() == null
                        ? "0001-01-01T00:00:00Z"
                        : KmsV2Transformer.rfc3339(current.expiration()));
    }

    /** getCurrentState, for the transformer: the state, or the failure a read or write gets. */
    private KmsV2State currentState() {
        KmsV2State current = state.get();
        String invalid = invalidState(current);
        if (invalid != null) {
            throw KmsV2Transformer.failure(invalid);
        }
        return current;
    }

    private static String invalidState(KmsV2State s) {
        if (s.transformer() == null) {
            return "got unexpected nil transformer";
        }
        String invalid = s.header().invalid();
        if (invalid != null) {
            return "got invalid EncryptedObject: " + invalid;
        }
        if (s.expiration() == null) {
            return "got unexpected zero expirationTimestamp";
        }
        if (s.cacheKey().length == 0) {
            return "got unexpected empty cacheKey";
        }
        return null;
    }

    private KmsService service() {
        KmsService s;
        synchronized (this) {
            s = service;
        }
        if (s == null) {
            throw new KmsService.KmsException(
                    "rpc error: code = Canceled desc = grpc: the client connection is closing");
        }
        return s;
    }

    /** GetHashIfNotEmpty: {@code sha256:<hex>} of a key ID, or "" for none. */
    static String hash(String keyId) {
        if (keyId == null || keyId.isEmpty()) {
            return "";
        }
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256")
                                    .digest(keyId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Go error printed with %v: {@code <nil>} for none. */
    private static String goError(String err) {
        return err == null ? "<nil>" : err;
    }

    /** The plugin as the transformer calls it, whichever connection is current. */
    private final class Delegate implements KmsService {
        @Override
        public KmsMessages.StatusResponse status() {
            return service().status();
        }

        @Override
        public KmsMessages.EncryptResponse encrypt(String uid, byte[] plaintext) {
            return service().encrypt(uid, plaintext);
        }

        @Override
        public byte[] decrypt(String uid, byte[] ciphertext, String keyId, Map<String, byte[]> annotations) {
            return service().decrypt(uid, ciphertext, keyId, annotations);
        }

        @Override
        public void close() {}
    }
}
