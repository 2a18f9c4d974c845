package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.Key;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.KmsConfiguration;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.ProviderConfiguration;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.ResourceConfiguration;
import io.kubetwin.apiserver.storage.encryption.kms.KmsService;
import io.kubetwin.apiserver.storage.encryption.kms.KmsV2Provider;
import io.kubetwin.pki.GoText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The loaded {@code --encryption-provider-config}: which transformer stores each resource
 * (encryptionconfig/config.go LoadEncryptionConfig and transformerFromOverrides). A rule's first provider writes,
 * all of them read; a resource named in several rules gets their providers in rule order; a resource no rule
 * names is taken by {@code <group>.*}, then {@code *.*}, and otherwise stored as it is (but refusing to pass off
 * encrypted data as plain). Without a file, {@link #none()}: everything as it is, as kube-apiserver without the
 * flag.
 *
 * <p>Immutable and thread-safe; {@link #forResource} is cheap and may be called per request.
 */
public final class EncryptionConfig {
    private static final EncryptionConfig NONE = new EncryptionConfig(null, Map.of(), List.of(), List.of(), null, null);
    /** EncryptionConfigFileChangePollDuration: how often kube-apiserver looks at the file for a change. */
    public static final Duration RELOAD_POLL = Duration.ofMinutes(1);

    private final Path file;
    private final Map<GroupResource, ValueTransformer> overrides;
    private final List<String> summary;
    private final List<KmsV2Provider> kmsProviders;
    /** Loads the file again with the same randomness and KMS clients (for the reload). */
    private final Function<Path, EncryptionConfig> loader;
    /** With --encryption-provider-config-automatic-reload: the configuration in force; null for a static one. */
    private final EncryptionConfigReloader reloader;

    private EncryptionConfig(
            Path file,
            Map<GroupResource, ValueTransformer> overrides,
            List<String> summary,
            List<KmsV2Provider> kmsProviders,
            Function<Path, EncryptionConfig> loader,
            EncryptionConfigReloader reloader) {
        this.file = file;
        this.overrides = Map.copyOf(overrides);
        this.summary = List.copyOf(summary);
        this.kmsProviders = List.copyOf(kmsProviders);
        this.loader = loader;
        this.reloader = reloader;
    }

    /**
     * This configuration with {@code --encryption-provider-config-automatic-reload}: the file is polled every minute
     * once {@link #start()}ed and a changed file replaces the transformers without a restart
     * ({@link EncryptionConfigReloader}).
     */
    public EncryptionConfig withAutomaticReload() {
        return withAutomaticReload(RELOAD_POLL);
    }

    /** As {@link #withAutomaticReload()}, polling every {@code poll} (tests). */
    public EncryptionConfig withAutomaticReload(Duration poll) {
        if (file == null || reloader != null) {
            throw new IllegalStateException("automatic reload needs a static configuration loaded from a file");
        }
        return new EncryptionConfig(
                file, Map.of(), List.of(), List.of(), loader, new EncryptionConfigReloader(this, poll, loader));
    }

    /** Whether the file is reloaded when it changes (the post-start hook and the kms-providers check are installed). */
    public boolean automaticReload() {
        return reloader != null;
    }

    /** No encryption at rest: every resource is stored as it is. */
    public static EncryptionConfig none() {
        return NONE;
    }

    /**
     * Reads, decodes, validates and builds the file as kube-apiserver does at start-up.
     *
     * @throws IllegalArgumentException with kube-apiserver's error text, e.g. {@code error while parsing file:
     *     resources[0].providers[0].aescbc.keys[0].secret: Invalid value: "REDACTED": secret is not of the expected
     *     length, got 20, expected one of [16 24 32]}
     */
    public static EncryptionConfig load(Path file) {
        return load(file, new SecureRandom(), KmsV2Provider::grpc);
    }

    /**
     * As {@link #load(Path)}, with the randomness and the client of KMS v2 plugins given (tests).
     *
     * @param kmsClient opens the client of a KMS v2 provider's plugin when the provider starts
     */
    public static EncryptionConfig load(Path file, SecureRandom random, Function<KmsV2Provider, KmsService> kmsClient) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("error while parsing file: error while loading file: "
                    + "error reading encryption provider configuration file " + GoText.quote(file.toString())
                    + ": " + goIoError(file, e));
        }
        if (data.length == 0) {
            throw new IllegalArgumentException("error while parsing file: error while loading file: "
                    + "encryption provider configuration file " + GoText.quote(file.toString()) + " is empty");
        }
        EncryptionConfiguration config;
        try {
            config = EncryptionConfigDecoder.decode(new String(data, StandardCharsets.UTF_8));
        } catch (EncryptionConfigDecoder.UnexpectedType e) {
            throw new IllegalArgumentException("error while parsing file: " + e.getMessage());
        } catch (EncryptionConfigDecoder.DecodeError e) {
            throw new IllegalArgumentException("error while parsing file: error decoding encryption provider "
                    + "configuration file " + GoText.quote(file.toString()) + ": " + e.getMessage());
        }
        List<FieldError> errors = EncryptionConfigValidation.validate(config);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("error while parsing file: "
                    + GoText.aggregate(errors.stream().map(FieldError::toString).toList()));
        }
        try {
            return build(file, config, random, kmsClient, p -> load(p, random, kmsClient));
        } catch (BuildError e) {
            throw new IllegalArgumentException("error while building transformers: " + e.getMessage());
        }
    }

    /**
     * The transformer for one resource's values, by the storage group ("" for the core group) and resource
     * (plural), e.g. {@code ("", "secrets")} or {@code ("apps", "deployments")}. Never null.
     */
    public ValueTransformer forResource(String group, String resource) {
        if (reloader != null) {
            return reloader.forResource(group, resource);
        }
        if (file == null) {
            return ValueTransformer.IDENTITY;
        }
        GroupResource gr = new GroupResource(group == null ? "" : group, resource);
        ValueTransformer t = overrides.get(gr);
        if (t == null) {
            t = overrides.get(gr.anyInGroup());
        }
        if (t == null) {
            t = overrides.get(GroupResource.ANY);
        }
        return t == null ? IdentityTransformer.INSTANCE : t;
    }

    /** Whether a file was given (so values may be encrypted at rest). */
    public boolean configured() {
        return file != null;
    }

    /**
     * Connects the KMS v2 providers to their plugins and probes each once (blocking up to its timeout; a plugin
     * that does not answer is retried in the background, as kube-apiserver does), for a store that writes values
     * at rest. Each start is matched by one {@link #close()}. Nothing to do without KMS providers.
     */
    public void start() {
        if (reloader != null) {
            reloader.start();
        } else {
            startProviders();
        }
    }

    /** Releases what {@link #start()} opened. */
    public void close() {
        if (reloader != null) {
            reloader.close();
        } else {
            closeProviders();
        }
    }

    void startProviders() {
        kmsProviders.forEach(KmsV2Provider::start);
    }

    void closeProviders() {
        kmsProviders.forEach(KmsV2Provider::close);
    }

    /** KMSCloseGracePeriod: twice the sum of the KMS providers' timeouts. */
    Duration kmsCloseGracePeriod() {
        return kmsProviders.stream()
                .map(KmsV2Provider::timeout)
                .reduce(Duration.ZERO, Duration::plus)
                .multipliedBy(2);
    }

    /**
     * The health check kube-apiserver adds to /healthz and /readyz for KMS v2 providers, {@code kms-providers}:
     * null when there are none (no check is installed), else a check that runs every provider's probe and
     * answers null when all are healthy or {@code kms-provider-N: <error>} (several as Go's aggregate).
     */
    public Supplier<String> kmsHealthCheck() {
        // with reload, one check whatever the providers (a no-op without KMS), over the configuration in force
        return reloader != null ? reloader.healthCheck() : staticKmsHealthCheck();
    }

    Supplier<String> staticKmsHealthCheck() {
        if (kmsProviders.isEmpty()) {
            return null;
        }
        return () -> {
            List<String> errors = new ArrayList<>();
            for (int i = 0; i < kmsProviders.size(); i++) {
                String err = kmsProviders.get(i).check();
                if (err != null) {
                    errors.add("kms-provider-" + i + ": " + err);
                }
            }
            return errors.isEmpty() ? null : GoText.aggregate(errors);
        };
    }

    /** The file, or null for {@link #none()}. */
    public Path file() {
        return file;
    }

    /**
     * One line per resource rule, for the start-up log: {@code secrets: written with aescbc (key cbc1), read with
     * aescbc, identity}. Names keys, never secrets.
     */
    public List<String> summary() {
        if (reloader != null) {
            return reloader.current().summary();
        }
        return summary;
    }

    private static final class BuildError extends Exception {
        BuildError(String message) {
            super(message, null, false, false);
        }
    }

    /** getTransformerOverridesAndKMSPluginProbes: the providers of each rule, then the masking checks. */
    private static EncryptionConfig build(
            Path file,
            EncryptionConfiguration config,
            SecureRandom random,
            Function<KmsV2Provider, KmsService> kmsClient,
            Function<Path, EncryptionConfig> loader)
            throws BuildError {
        Map<GroupResource, List<PrefixTransformers.Prefixed>> byResource = new LinkedHashMap<>();
        List<String> summary = new ArrayList<>();
        List<KmsV2Provider> kms = new ArrayList<>();
        for (ResourceConfiguration rule : config.resources()) {
            List<PrefixTransformers.Prefixed> providers = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (ProviderConfiguration provider : rule.providers()) {
                if (provider.kms() != null && provider.kms().apiVersion().equals("v2")) {
                    KmsV2Provider p = new KmsV2Provider(
                            provider.kms().name(),
                            provider.kms().endpoint(),
                            provider.kms().timeout(),
                            Clock.systemUTC(),
                            random,
                            aesGcm(random),
                            kmsClient);
                    kms.add(p);
                    providers.add(new PrefixTransformers.Prefixed(p.prefix(), p.transformer()));
                } else {
                    providers.add(provider(provider, random));
                }
                names.add(name(provider));
            }
            for (String resource : rule.resources()) {
                GroupResource gr = GroupResource.parse(resource);
                GroupResource anyInGroup = gr.anyInGroup();
                if (byResource.containsKey(anyInGroup)) {
                    throw new BuildError("resource " + GoText.quote(gr.yaml()) + " is masked by earlier rule "
                            + GoText.quote(anyInGroup.yaml()));
                }
                if (byResource.containsKey(GroupResource.ANY)) {
                    throw new BuildError("resource " + GoText.quote(gr.yaml()) + " is masked by earlier rule "
                            + GoText.quote(GroupResource.ANY.yaml()));
                }
                byResource.computeIfAbsent(gr, k -> new ArrayList<>()).addAll(providers);
            }
            summary.add(String.join(", ", rule.resources()) + ": written with " + names.get(0) + ", read with "
                    + String.join(", ", names));
        }
        Map<GroupResource, ValueTransformer> overrides = new LinkedHashMap<>();
        byResource.forEach((gr, list) -> overrides.put(gr, new PrefixTransformers("no matching prefix found", list)));
        return new EncryptionConfig(file, overrides, summary, kms, loader, null);
    }

    private static PrefixTransformers.Prefixed provider(ProviderConfiguration provider, SecureRandom random)
            throws BuildError {
        if (provider.aesgcm() != null) {
            return keyed(
                    "k8s:enc:aesgcm:v1:",
                    provider.aesgcm().keys(),
                    "no matching key was found for the provided AES transformer",
                    (key, r) -> new AesGcmTransformer(key, r),
                    random);
        }
        if (provider.aescbc() != null) {
            return keyed(
                    "k8s:enc:aescbc:v1:",
                    provider.aescbc().keys(),
                    "no matching key was found for the provided AES transformer",
                    (key, r) -> new AesCbcTransformer(key, r),
                    random);
        }
        if (provider.secretbox() != null) {
            return keyed(
                    "k8s:enc:secretbox:v1:",
                    provider.secretbox().keys(),
                    "no matching key was found for the provided Secretbox transformer",
                    (key, r) -> new SecretboxTransformer(key, r),
                    random);
        }
        if (provider.kms() != null) {
            // KMS v2 is built by the caller; anything else here is v1
            throw new BuildError(kmsRefusal(provider.kms()));
        }
        if (provider.identity() != null) {
            return new PrefixTransformers.Prefixed("", IdentityTransformer.INSTANCE);
        }
        throw new BuildError(EncryptionConfigValidation.NO_PROVIDER);
    }

    /**
     * The aesgcm provider's transformer for a key (AES-GCM, random nonce, the storage key as authenticated data),
     * which KMS v2 uses under its DEKs.
     */
    public static Function<byte[], ValueTransformer> aesGcm(SecureRandom random) {
        return key -> new AesGcmTransformer(key, random);
    }

    /** kube-apiserver v1.34's refusal of a KMS v1 provider while its gate, KMSv1, is off (the default). */
    public static final String KMS_V1_REFUSAL =
            "KMSv1 is deprecated and will only receive security updates going forward. Use KMSv2 instead.  "
                    + "Set --feature-gates=KMSv1=true to use the deprecated KMSv1 feature.";

    /**
     * KMS v1 is refused as v1.34 refuses it with its gate off; with the gate on the server refuses it too, in its own
     * words (ApiServerFlags: the fake has no KMS v1 client).
     */
    static String kmsRefusal(KmsConfiguration kms) {
        return KMS_V1_REFUSAL;
    }

    private static PrefixTransformers.Prefixed keyed(
            String prefix,
            List<Key> keys,
            String noMatch,
            BiFunction<byte[], SecureRandom, ValueTransformer> transformer,
            SecureRandom random) {
        List<PrefixTransformers.Prefixed> byKey = new ArrayList<>();
        for (Key key : keys) {
            byKey.add(new PrefixTransformers.Prefixed(
                    key.name() + ":", transformer.apply(GoBase64.decode(key.secret()), random)));
        }
        return new PrefixTransformers.Prefixed(prefix, new PrefixTransformers(noMatch, byKey));
    }

    private static String name(ProviderConfiguration p) {
        if (p.aesgcm() != null) {
            return "aesgcm (key " + p.aesgcm().keys().get(0).name() + ")";
        }
        if (p.aescbc() != null) {
            return "aescbc (key " + p.aescbc().keys().get(0).name() + ")";
        }
        if (p.secretbox() != null) {
            return "secretbox (key " + p.secretbox().keys().get(0).name() + ")";
        }
        return p.kms() != null
                ? "kms v2 (plugin " + p.kms().name() + " at " + p.kms().endpoint() + ")"
                : "identity";
    }

    private static String goIoError(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return "open " + file + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "open " + file + ": permission denied";
        }
        if (Files.isDirectory(file)) {
            return "read " + file + ": is a directory";
        }
        return "open " + file + ": " + e.getMessage();
    }
}
