package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.apiserver.storage.ValueTransformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code --encryption-provider-config-automatic-reload}: kube-apiserver's reload controller
 * (k8s.io/apiserver/pkg/server/options/encryptionconfig/controller/controller.go) over its DynamicTransformers
 * (encryptionconfig/config.go). The file is polled (every minute upstream); when its content changed, it is loaded and
 * validated again, its KMS v2 providers started and their health polled (every 100 ms for up to the grace period, at
 * least 10 s); only then do the new transformers replace the old ones, which are closed one grace period later so
 * that writes in flight finish. A file that fails to read, load or become healthy is logged and the old configuration
 * stays in force; the next poll tries again (upstream retries sooner, with its work queue's back-off).
 *
 * <p>Thread-safe: the transformers read the current configuration on each call; one daemon thread polls.
 */
final class EncryptionConfigReloader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EncryptionConfigReloader.class.getName());
    private static final String NAME = "encryption-provider-config-automatic-reload-controller";
    private static final Duration MIN_GRACE = Duration.ofSeconds(10);
    private static final long HEALTH_POLL_MS = 100;

    private final Path file;
    private final Duration poll;
    private final Function<Path, EncryptionConfig> loader;
    private final AtomicReference<EncryptionConfig> current;
    private final ScheduledExecutorService timer;
    /** Replaced configurations whose providers close one grace period later (or with this reloader). */
    private final List<EncryptionConfig> retired = new CopyOnWriteArrayList<>();
    /** Touched by the timer thread only. */
    private String lastHash;

    /**
     * @param initial the configuration loaded at start-up (static: its own reload switch off)
     * @param loader loads the file again, throwing IllegalArgumentException with kube-apiserver's text
     */
    EncryptionConfigReloader(EncryptionConfig initial, Duration poll, Function<Path, EncryptionConfig> loader) {
        this.file = initial.file();
        this.poll = poll;
        this.loader = loader;
        this.current = new AtomicReference<>(initial);
        this.lastHash = hashOrNull(file);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubetwin-" + NAME);
            t.setDaemon(true);
            return t;
        });
    }

    /** The configuration in force now. */
    EncryptionConfig current() {
        return current.get();
    }

    /** A transformer that applies whichever configuration is in force at each call. */
    ValueTransformer forResource(String group, String resource) {
        return new ValueTransformer() {
            @Override
            public byte[] toStorage(byte[] plain, String storageKey) {
                return current.get().forResource(group, resource).toStorage(plain, storageKey);
            }

            @Override
            public Transformed fromStorage(byte[] stored, String storageKey) {
                return current.get().forResource(group, resource).fromStorage(stored, storageKey);
            }
        };
    }

    /**
     * The single {@code kms-providers} check reload installs: the current configuration's KMS v2 probes, passing when
     * there are none ("the endpoint is present even if there are no KMS plugins configured").
     */
    Supplier<String> healthCheck() {
        return () -> {
            Supplier<String> check = current.get().staticKmsHealthCheck();
            return check == null ? null : check.get();
        };
    }

    /** Starts the current providers and the polling (the post-start hook start-encryption-provider-config-automatic-reload). */
    void start() {
        current.get().startProviders();
        // PollUntilContextCancel(immediate): a first look at once, then every interval
        timer.scheduleWithFixedDelay(this::processFile, 0, Math.max(1, poll.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void processFile() {
        String hash;
        try {
            hash = hash(Files.readAllBytes(file));
        } catch (IOException e) {
            failed("error reading encryption provider configuration file \"" + file + "\": " + e.getMessage());
            return;
        }
        if (hash.equals(lastHash)) {
            return;
        }
        EncryptionConfig next;
        try {
            next = loader.apply(file);
        } catch (IllegalArgumentException e) {
            failed(e.getMessage());
            return;
        }
        next.startProviders();
        Duration grace = MIN_GRACE.compareTo(next.kmsCloseGracePeriod()) > 0 ? MIN_GRACE : next.kmsCloseGracePeriod();
        String unhealthy = healthy(next, grace);
        if (unhealthy != null) {
            next.closeProviders();
            failed("health check for new transformers failed, polling error timed out waiting for the condition: "
                    + unhealthy);
            return;
        }
        EncryptionConfig old = current.getAndSet(next);
        lastHash = hash;
        LOG.info(() -> "Loaded new kms encryption config content name=" + NAME);
        // writes in flight may still use the old transformers: close them one grace period later
        retired.add(old);
        timer.schedule(
                () -> {
                    if (retired.remove(old)) {
                        old.closeProviders();
                    }
                },
                grace.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** validateNewTransformersHealth: null once the new providers answer healthy, else the last error. */
    private static String healthy(EncryptionConfig next, Duration grace) {
        Supplier<String> check = next.staticKmsHealthCheck();
        if (check == null) {
            return null;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        String error;
        do {
            error = check.get();
            if (error == null) {
                return null;
            }
            try {
                Thread.sleep(HEALTH_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error;
            }
        } while (System.nanoTime() - deadline < 0);
        return error;
    }

    private void failed(String error) {
        LOG.log(Level.WARNING, "error processing encryption config file {0}: {1}", new Object[] {file, error});
    }

    @Override
    public void close() {
        timer.shutdownNow();
        retired.forEach(EncryptionConfig::closeProviders);
        current.get().closeProviders();
    }

    private static String hashOrNull(Path file) {
        try {
            return hash(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        }
    }

    private static String hash(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
