package io.kubetwin.apiserver.audit;

import io.kubetwin.pki.GoDuration;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --audit-*} flags of kube-apiserver as a picocli mixin, by upstream's names and defaults
 * (AuditOptions.AddFlags in k8s.io/apiserver/pkg/server/options/audit.go, as {@code kube-apiserver --help}
 * lists them in v1.34). Values are parsed as pflag parses them (Go integers, booleans, float32 and
 * durations); a bad value's {@link TypeConversionException} carries strconv's or time's message, which
 * the command line turns into pflag's {@code invalid argument "x" for "--flag" flag: ...}.
 * {@link #toOptions()} maps the flags onto {@link AuditOptions}; validation stays in {@link AuditOptions#validate()}.
 */
public final class AuditFlags {
    @Option(
            names = "--audit-policy-file",
            description = "The audit policy (YAML or JSON); without it nothing is audited.")
    Path policyFile;

    @Option(names = "--audit-log-path", defaultValue = "", description = "The audit log file ('-': standard output).")
    String logPath;

    @Option(
            names = "--audit-log-maxage",
            defaultValue = "0",
            converter = GoInt.class,
            description = "Days a rotated file is kept (0: all).")
    int logMaxAge;

    @Option(
            names = "--audit-log-maxbackup",
            defaultValue = "0",
            converter = GoInt.class,
            description = "Rotated files kept (0: all).")
    int logMaxBackup;

    @Option(
            names = "--audit-log-maxsize",
            defaultValue = "0",
            converter = GoInt.class,
            description = "Megabytes before the log is rotated (0: 100).")
    int logMaxSize;

    @Option(
            names = "--audit-log-format",
            defaultValue = "json",
            description = "json (one event per line) or legacy (one line of text).")
    String logFormat;

    @Option(
            names = "--audit-log-compress",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "false",
            converter = GoBool.class,
            description = "Gzip rotated files.")
    boolean logCompress;

    @Option(
            names = "--audit-log-version",
            defaultValue = AuditOptions.VERSION,
            description = "Group/version of the logged events (audit.k8s.io/v1).")
    String logVersion;

    @Option(names = "--audit-webhook-config-file", description = "A kubeconfig naming the webhook receiver.")
    Path webhookConfigFile;

    @Option(
            names = "--audit-webhook-initial-backoff",
            defaultValue = "10s",
            converter = GoDurationConverter.class,
            description = "Delay before the first retry of a failed delivery.")
    Duration webhookInitialBackoff;

    @Option(
            names = "--audit-webhook-version",
            defaultValue = AuditOptions.VERSION,
            description = "Group/version of the events sent (audit.k8s.io/v1).")
    String webhookVersion;

    @Option(names = "--audit-log-mode", defaultValue = "blocking", description = "blocking, blocking-strict or batch.")
    String logMode;

    @Option(
            names = "--audit-log-batch-buffer-size",
            defaultValue = "10000",
            converter = GoInt.class,
            description = "Batch mode: events buffered before new ones are dropped.")
    int logBufferSize;

    @Option(
            names = "--audit-log-batch-max-size",
            defaultValue = "1",
            converter = GoInt.class,
            description = "Batch mode: most events per write.")
    int logBatchMaxSize;

    @Option(
            names = "--audit-log-batch-max-wait",
            defaultValue = "0s",
            converter = GoDurationConverter.class,
            description = "Batch mode: longest wait for a batch to fill before it is written.")
    Duration logBatchMaxWait;

    @Option(
            names = "--audit-log-batch-throttle-enable",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "false",
            converter = GoBool.class,
            description = "Batch mode: rate-limit the batches.")
    boolean logThrottleEnable;

    @Option(
            names = "--audit-log-batch-throttle-qps",
            defaultValue = "0",
            converter = GoFloat32.class,
            description = "Batch mode: batches per second when rate-limited.")
    float logThrottleQps;

    @Option(
            names = "--audit-log-batch-throttle-burst",
            defaultValue = "0",
            converter = GoInt.class,
            description = "Batch mode: burst of batches when rate-limited.")
    int logThrottleBurst;

    @Option(
            names = "--audit-log-truncate-enabled",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "false",
            converter = GoBool.class,
            description = "Strip the bodies of oversized events (then drop them) and split oversized batches.")
    boolean logTruncateEnabled;

    @Option(
            names = "--audit-log-truncate-max-batch-size",
            defaultValue = "10485760",
            converter = GoInt64.class,
            description = "Bytes per batch when truncating.")
    long logTruncateMaxBatchSize;

    @Option(
            names = "--audit-log-truncate-max-event-size",
            defaultValue = "102400",
            converter = GoInt64.class,
            description = "Bytes per event when truncating.")
    long logTruncateMaxEventSize;

    @Option(names = "--audit-webhook-mode", defaultValue = "batch", description = "blocking, blocking-strict or batch.")
    String webhookMode;

    @Option(
            names = "--audit-webhook-batch-buffer-size",
            defaultValue = "10000",
            converter = GoInt.class,
            description = "Batch mode: events buffered before new ones are dropped.")
    int webhookBufferSize;

    @Option(
            names = "--audit-webhook-batch-max-size",
            defaultValue = "400",
            converter = GoInt.class,
            description = "Batch mode: most events per write.")
    int webhookBatchMaxSize;

    @Option(
            names = "--audit-webhook-batch-max-wait",
            defaultValue = "30s",
            converter = GoDurationConverter.class,
            description = "Batch mode: longest wait for a batch to fill before it is written.")
    Duration webhookBatchMaxWait;

    @Option(
            names = "--audit-webhook-batch-throttle-enable",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "true",
            converter = GoBool.class,
            description = "Batch mode: rate-limit the batches.")
    boolean webhookThrottleEnable;

    @Option(
            names = "--audit-webhook-batch-throttle-qps",
            defaultValue = "10",
            converter = GoFloat32.class,
            description = "Batch mode: batches per second when rate-limited.")
    float webhookThrottleQps;

    @Option(
            names = "--audit-webhook-batch-throttle-burst",
            defaultValue = "15",
            converter = GoInt.class,
            description = "Batch mode: burst of batches when rate-limited.")
    int webhookThrottleBurst;

    @Option(
            names = "--audit-webhook-truncate-enabled",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "false",
            converter = GoBool.class,
            description = "Strip the bodies of oversized events (then drop them) and split oversized batches.")
    boolean webhookTruncateEnabled;

    @Option(
            names = "--audit-webhook-truncate-max-batch-size",
            defaultValue = "10485760",
            converter = GoInt64.class,
            description = "Bytes per batch when truncating.")
    long webhookTruncateMaxBatchSize;

    @Option(
            names = "--audit-webhook-truncate-max-event-size",
            defaultValue = "102400",
            converter = GoInt64.class,
            description = "Bytes per event when truncating.")
    long webhookTruncateMaxEventSize;

    /** The options these flags describe (not validated). */
    public AuditOptions toOptions() {
        AuditOptions.LogOptions log = new AuditOptions.LogOptions(
                logPath,
                logMaxAge,
                logMaxBackup,
                logMaxSize,
                logFormat,
                logCompress,
                new AuditOptions.BatchOptions(
                        logMode,
                        logBufferSize,
                        logBatchMaxSize,
                        logBatchMaxWait,
                        logThrottleEnable,
                        logThrottleQps,
                        logThrottleBurst),
                new AuditOptions.TruncateOptions(logTruncateEnabled, logTruncateMaxEventSize, logTruncateMaxBatchSize),
                logVersion);
        AuditOptions.WebhookOptions webhook = new AuditOptions.WebhookOptions(
                webhookConfigFile,
                webhookInitialBackoff,
                new AuditOptions.BatchOptions(
                        webhookMode,
                        webhookBufferSize,
                        webhookBatchMaxSize,
                        webhookBatchMaxWait,
                        webhookThrottleEnable,
                        webhookThrottleQps,
                        webhookThrottleBurst),
                new AuditOptions.TruncateOptions(
                        webhookTruncateEnabled, webhookTruncateMaxEventSize, webhookTruncateMaxBatchSize),
                webhookVersion);
        return new AuditOptions(policyFile, log, webhook);
    }

    /** pflag's IntVar: strconv.ParseInt(s, 0, 64), then Go's int (64-bit); Java's int is narrower. */
    public static final class GoInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            long v = GoInt64.parse(value);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new TypeConversionException("strconv.ParseInt: parsing \"" + value + "\": value out of range");
            }
            return (int) v;
        }
    }

    /** strconv.ParseInt(s, 0, 64): decimal, or 0x/0o/0b/0 prefixed, with an optional sign. */
    public static final class GoInt64 implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value);
        }

        static long parse(String value) {
            String s = value;
            boolean negative = s.startsWith("-");
            if (negative || s.startsWith("+")) {
                s = s.substring(1);
            }
            int radix = 10;
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.startsWith("0x") || lower.startsWith("0o") || lower.startsWith("0b")) {
                radix = lower.charAt(1) == 'x' ? 16 : lower.charAt(1) == 'o' ? 8 : 2;
                s = s.substring(2).replace("_", "");
            } else if (s.length() > 1 && s.startsWith("0")) {
                radix = 8;
                s = s.substring(1).replace("_", "");
            }
            int base = radix;
            if (s.isEmpty() || !s.chars().allMatch(c -> Character.digit(c, base) >= 0)) {
                throw new TypeConversionException("strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
            }
            BigInteger v = new BigInteger(s, radix);
            v = negative ? v.negate() : v;
            if (v.bitLength() > 63) {
                throw new TypeConversionException("strconv.ParseInt: parsing \"" + value + "\": value out of range");
            }
            return v.longValue();
        }
    }

    /** strconv.ParseBool. */
    public static final class GoBool implements ITypeConverter<Boolean> {
        private static final Set<String> TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
        private static final Set<String> FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

        @Override
        public Boolean convert(String value) {
            if (TRUE.contains(value)) {
                return true;
            }
            if (FALSE.contains(value)) {
                return false;
            }
            throw new TypeConversionException("strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
        }
    }

    /** strconv.ParseFloat(s, 32) for the common spellings. */
    public static final class GoFloat32 implements ITypeConverter<Float> {
        @Override
        public Float convert(String value) {
            if (!value.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(?i)(inf|infinity|nan)")) {
                throw new TypeConversionException("strconv.ParseFloat: parsing \"" + value + "\": invalid syntax");
            }
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.contains("inf")) {
                return lower.startsWith("-") ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
            }
            return lower.contains("nan") ? Float.NaN : Float.parseFloat(value);
        }
    }

    /** time.ParseDuration. */
    public static final class GoDurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return GoDuration.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
