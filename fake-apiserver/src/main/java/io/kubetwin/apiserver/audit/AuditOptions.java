package io.kubetwin.apiserver.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --audit-*} flags of kube-apiserver (k8s.io/apiserver/pkg/server/options/audit.go), with
 * upstream's defaults and validation messages. Build the running configuration with {@link AuditSetup#create}.
 *
 * @param policyFile {@code --audit-policy-file}; null means no policy, hence no events at all
 */
public record AuditOptions(Path policyFile, LogOptions log, WebhookOptions webhook) {
    public static final List<String> MODES = List.of("batch", "blocking", "blocking-strict");
    static final String VERSION = "audit.k8s.io/v1";

    /** Every flag at its default: no policy, no log, no webhook. */
    public static AuditOptions defaults() {
        return new AuditOptions(null, LogOptions.defaults(), WebhookOptions.defaults());
    }

    public AuditOptions withPolicyFile(Path file) {
        return new AuditOptions(file, log, webhook);
    }

    public AuditOptions withLog(LogOptions value) {
        return new AuditOptions(policyFile, value, webhook);
    }

    public AuditOptions withWebhook(WebhookOptions value) {
        return new AuditOptions(policyFile, log, value);
    }

    /**
     * {@code --audit-<plugin>-mode} and the {@code --audit-<plugin>-batch-*} flags.
     *
     * @param mode batch, blocking or blocking-strict (validated)
     */
    public record BatchOptions(
            String mode,
            int bufferSize,
            int maxBatchSize,
            Duration maxBatchWait,
            boolean throttleEnable,
            float throttleQps,
            int throttleBurst) {
        public BatchOptions withMode(String value) {
            return new BatchOptions(
                    value, bufferSize, maxBatchSize, maxBatchWait, throttleEnable, throttleQps, throttleBurst);
        }

        public BatchOptions withBatch(int size, Duration wait) {
            return new BatchOptions(mode, bufferSize, size, wait, throttleEnable, throttleQps, throttleBurst);
        }

        public BatchOptions withBufferSize(int value) {
            return new BatchOptions(
                    mode, value, maxBatchSize, maxBatchWait, throttleEnable, throttleQps, throttleBurst);
        }

        public BatchOptions withThrottle(boolean enable, float qps, int burst) {
            return new BatchOptions(mode, bufferSize, maxBatchSize, maxBatchWait, enable, qps, burst);
        }
    }

    /** {@code --audit-<plugin>-truncate-*}: off by default, 100 KiB events, 10 MiB batches. */
    public record TruncateOptions(boolean enabled, long maxEventSize, long maxBatchSize) {
        public static TruncateOptions defaults() {
            return new TruncateOptions(false, 100 * 1024, 10 * 1024 * 1024);
        }
    }

    /**
     * The log backend's flags.
     *
     * @param path {@code --audit-log-path}: a file, {@code -} for standard output, empty for no log backend
     * @param maxSize megabytes before rotation; 0 is lumberjack's 100
     * @param format json or legacy (validated)
     * @param version {@code --audit-log-version}; only audit.k8s.io/v1 exists
     */
    public record LogOptions(
            String path,
            int maxAge,
            int maxBackups,
            int maxSize,
            String format,
            boolean compress,
            BatchOptions batch,
            TruncateOptions truncate,
            String version) {
        public static LogOptions defaults() {
            return new LogOptions(
                    "",
                    0,
                    0,
                    0,
                    "json",
                    false,
                    new BatchOptions("blocking", 10000, 1, Duration.ZERO, false, 0, 0),
                    TruncateOptions.defaults(),
                    VERSION);
        }

        public boolean enabled() {
            return path != null && !path.isEmpty();
        }

        public LogOptions withPath(String value) {
            return new LogOptions(value, maxAge, maxBackups, maxSize, format, compress, batch, truncate, version);
        }

        public LogOptions withFormat(String value) {
            return new LogOptions(path, maxAge, maxBackups, maxSize, value, compress, batch, truncate, version);
        }

        public LogOptions withRotation(int maxSizeMegabytes, int maxBackupFiles, int maxAgeDays, boolean gzip) {
            return new LogOptions(
                    path, maxAgeDays, maxBackupFiles, maxSizeMegabytes, format, gzip, batch, truncate, version);
        }

        public LogOptions withBatch(BatchOptions value) {
            return new LogOptions(path, maxAge, maxBackups, maxSize, format, compress, value, truncate, version);
        }

        public LogOptions withTruncate(TruncateOptions value) {
            return new LogOptions(path, maxAge, maxBackups, maxSize, format, compress, batch, value, version);
        }

        public LogOptions withVersion(String value) {
            return new LogOptions(path, maxAge, maxBackups, maxSize, format, compress, batch, truncate, value);
        }
    }

    /**
     * The webhook backend's flags.
     *
     * @param configFile {@code --audit-webhook-config-file}; null for no webhook backend
     * @param initialBackoff {@code --audit-webhook-initial-backoff}, 10s
     */
    public record WebhookOptions(
            Path configFile, Duration initialBackoff, BatchOptions batch, TruncateOptions truncate, String version) {
        public static WebhookOptions defaults() {
            return new WebhookOptions(
                    null,
                    Duration.ofSeconds(10),
                    new BatchOptions("batch", 10000, 400, Duration.ofSeconds(30), true, 10, 15),
                    TruncateOptions.defaults(),
                    VERSION);
        }

        public boolean enabled() {
            return configFile != null;
        }

        public WebhookOptions withConfigFile(Path value) {
            return new WebhookOptions(value, initialBackoff, batch, truncate, version);
        }

        public WebhookOptions withInitialBackoff(Duration value) {
            return new WebhookOptions(configFile, value, batch, truncate, version);
        }

        public WebhookOptions withBatch(BatchOptions value) {
            return new WebhookOptions(configFile, initialBackoff, value, truncate, version);
        }

        public WebhookOptions withTruncate(TruncateOptions value) {
            return new WebhookOptions(configFile, initialBackoff, batch, value, version);
        }
    }

    /**
     * The flag errors kube-apiserver reports before starting, in its order and words (it prints them
     * aggregated: {@code [err1, err2]}); empty when the flags are valid. Backends that are off are not checked.
     */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (log.enabled()) {
            batch("log", log.batch(), errors);
            truncate("log", log.truncate(), errors);
            version(log.version(), errors);
            if (!log.format().equals("legacy") && !log.format().equals("json")) {
                errors.add("invalid audit log format " + log.format() + ", allowed formats are \"legacy,json\"");
            }
            if (log.maxAge() < 0) {
                errors.add("--audit-log-maxage " + log.maxAge() + " can't be a negative number");
            }
            if (log.maxBackups() < 0) {
                errors.add("--audit-log-maxbackup " + log.maxBackups() + " can't be a negative number");
            }
            if (log.maxSize() < 0) {
                errors.add("--audit-log-maxsize " + log.maxSize() + " can't be a negative number");
            }
        }
        if (webhook.enabled()) {
            batch("webhook", webhook.batch(), errors);
            truncate("webhook", webhook.truncate(), errors);
            version(webhook.version(), errors);
        }
        return errors;
    }

    private static void batch(String plugin, BatchOptions o, List<String> errors) {
        if (!MODES.contains(o.mode())) {
            errors.add("invalid audit " + plugin + " mode " + o.mode() + ", allowed modes are \""
                    + String.join(",", MODES) + "\"");
            return;
        }
        if (!o.mode().equals("batch")) {
            return;
        }
        // upstream stops at the first problem of the batch options
        if (o.bufferSize() <= 0) {
            errors.add(
                    "invalid audit batch " + plugin + " buffer size " + o.bufferSize() + ", must be a positive number");
        } else if (o.maxBatchSize() <= 0) {
            errors.add("invalid audit batch " + plugin + " max batch size " + o.maxBatchSize()
                    + ", must be a positive number");
        } else if (o.throttleEnable() && o.throttleQps() <= 0) {
            errors.add("invalid audit batch " + plugin + " throttle QPS " + goFloat(o.throttleQps())
                    + ", must be a positive number");
        } else if (o.throttleEnable() && o.throttleBurst() <= 0) {
            errors.add("invalid audit batch " + plugin + " throttle burst " + o.throttleBurst()
                    + ", must be a positive number");
        }
    }

    private static void truncate(String plugin, TruncateOptions o, List<String> errors) {
        if (o.maxEventSize() <= 0) {
            errors.add("invalid audit truncate " + plugin + " max event size " + o.maxEventSize()
                    + ", must be a positive number");
        } else if (o.maxBatchSize() < o.maxEventSize()) {
            errors.add("invalid audit truncate " + plugin + " max batch size " + o.maxBatchSize()
                    + ", must be greater than max event size (" + o.maxEventSize() + ")");
        }
    }

    private static void version(String groupVersion, List<String> errors) {
        if (groupVersion.chars().filter(c -> c == '/').count() > 1) {
            errors.add("unexpected GroupVersion string: " + groupVersion);
        } else if (!groupVersion.equals(VERSION)) {
            errors.add("invalid group version, allowed versions are [\"" + VERSION + "\"]");
        }
    }

    /** Go's %v of a float32. */
    private static String goFloat(float f) {
        return f == Math.rint(f) && !Float.isInfinite(f) ? Long.toString((long) f) : Float.toString(f);
    }
}
