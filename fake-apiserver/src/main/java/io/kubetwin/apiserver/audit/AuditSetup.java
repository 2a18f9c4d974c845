package io.kubetwin.apiserver.audit;

import io.kubetwin.apiserver.audit.backend.AuditBackend;
import io.kubetwin.apiserver.audit.backend.BatchConfig;
import io.kubetwin.apiserver.audit.backend.BlockingBackend;
import io.kubetwin.apiserver.audit.backend.BufferedBackend;
import io.kubetwin.apiserver.audit.backend.EventSink;
import io.kubetwin.apiserver.audit.backend.LogFormat;
import io.kubetwin.apiserver.audit.backend.LogOutput;
import io.kubetwin.apiserver.audit.backend.LogSink;
import io.kubetwin.apiserver.audit.backend.LumberjackWriter;
import io.kubetwin.apiserver.audit.backend.TruncateBackend;
import io.kubetwin.apiserver.audit.backend.UnionBackend;
import io.kubetwin.apiserver.audit.backend.WebhookKubeconfig;
import io.kubetwin.apiserver.audit.backend.WebhookSink;
import io.kubetwin.apiserver.audit.policy.LoadedPolicy;
import io.kubetwin.apiserver.audit.policy.Policy;
import io.kubetwin.apiserver.audit.policy.PolicyChecker;
import io.kubetwin.apiserver.audit.policy.PolicyLoadException;
import io.kubetwin.apiserver.audit.policy.PolicyLoader;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.List;

/**
 * The running audit configuration, built from the flags as ApplyTo in pkg/server/options/audit.go builds
 * it: the policy checker, and the log and webhook backends wrapped for their mode (blocking: ignore errors;
 * blocking-strict: as is; batch: buffered) and truncation. Auditing is on only with both a policy and a
 * backend; without a policy no event is ever recorded, whatever the backends.
 *
 * <p>Create once at start-up, hand {@link #auditHandler()} and {@link #failedAuthenticationAuditor()} to the
 * chain, and {@link #close()} at shutdown (flushes every buffered event).
 */
public final class AuditSetup implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AuditSetup.class.getName());
    private final PolicyChecker checker;
    private final AuditBackend backend;
    private final AuditHandler handler;
    private final FailedAuthenticationAuditor failedAuthentication;

    private AuditSetup(PolicyChecker checker, AuditBackend backend) {
        this.checker = checker;
        this.backend = backend;
        this.handler = new AuditHandler(checker, backend);
        this.failedAuthentication = new FailedAuthenticationAuditor(checker, backend);
    }

    /** A setup from a policy and backend made in Java (tests, the JUnit extension); either may be null. */
    public static AuditSetup of(Policy policy, AuditBackend backend) {
        return new AuditSetup(policy == null ? null : new PolicyChecker(policy), backend);
    }

    /**
     * Validates the flags, reads the policy, opens the log file and the webhook configuration.
     *
     * @param vertx used by the webhook backend's HTTP client
     * @throws AuditSetupException with kube-apiserver's start-up error
     */
    public static AuditSetup create(AuditOptions options, Vertx vertx) throws AuditSetupException {
        List<String> errors = options.validate();
        if (!errors.isEmpty()) {
            throw new AuditSetupException(errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
        }
        PolicyChecker checker = null;
        if (options.policyFile() != null) {
            try {
                LoadedPolicy loaded = PolicyLoader.load(options.policyFile());
                checker = new PolicyChecker(loaded.policy());
            } catch (PolicyLoadException e) {
                throw new AuditSetupException(e.getMessage());
            }
        }
        AuditBackend log = null;
        if (options.log().enabled()) {
            LogOutput out = logOutput(options.log());
            if (checker == null) {
                out.close();
                LOG.log(
                        System.Logger.Level.INFO,
                        "No audit policy file provided, no events will be recorded for log backend");
            } else {
                EventSink sink =
                        new LogSink(out, LogFormat.fromFlag(options.log().format()), ZoneId.systemDefault());
                log = truncate(
                        wrap(sink, options.log().batch(), false), options.log().truncate());
            }
        }
        AuditBackend webhook = null;
        if (options.webhook().enabled()) {
            if (checker == null) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "No audit policy file provided, no events will be recorded for webhook backend");
            } else {
                try {
                    WebhookKubeconfig kubeconfig =
                            WebhookKubeconfig.load(options.webhook().configFile());
                    EventSink sink =
                            new WebhookSink(vertx, kubeconfig, options.webhook().initialBackoff());
                    webhook = truncate(
                            wrap(sink, options.webhook().batch(), true),
                            options.webhook().truncate());
                } catch (WebhookKubeconfig.InvalidKubeconfig e) {
                    if (log != null) {
                        log.close();
                    }
                    throw new AuditSetupException("initializing audit webhook: " + e.getMessage());
                }
            }
        }
        return new AuditSetup(checker, UnionBackend.of(log, webhook));
    }

    private static LogOutput logOutput(AuditOptions.LogOptions o) throws AuditSetupException {
        if (o.path().equals("-")) {
            PrintStream stdout = System.out;
            return LogOutput.stream(stdout);
        }
        Path file = Path.of(o.path());
        try {
            // ensureLogFile: the directory (0700) and the file (0600) exist before the server starts
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.newOutputStream(file, StandardOpenOption.APPEND).close();
        } catch (IOException | UnsupportedOperationException e) {
            throw new AuditSetupException("ensureLogFile: " + goPathError(file, e));
        }
        return LumberjackWriter.megabytes(file, o.maxSize(), o.maxBackups(), o.maxAge(), o.compress());
    }

    private static String goPathError(Path file, Exception e) {
        if (e instanceof NoSuchFileException n) {
            return "mkdir " + n.getFile() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException a) {
            return "open " + a.getFile() + ": permission denied";
        }
        return "open " + file + ": " + e.getMessage();
    }

    private static AuditBackend wrap(EventSink sink, AuditOptions.BatchOptions o, boolean asyncDelegate) {
        return switch (o.mode()) {
            case "blocking-strict" -> new BlockingBackend(sink, true);
            case "blocking" -> new BlockingBackend(sink, false);
            default ->
                new BufferedBackend(
                        sink,
                        new BatchConfig(
                                o.bufferSize(),
                                o.maxBatchSize(),
                                o.maxBatchWait(),
                                o.throttleEnable(),
                                o.throttleQps(),
                                o.throttleBurst(),
                                asyncDelegate));
        };
    }

    private static AuditBackend truncate(AuditBackend backend, AuditOptions.TruncateOptions o) {
        return o.enabled() ? new TruncateBackend(backend, o.maxEventSize(), o.maxBatchSize()) : backend;
    }

    /** True when requests are audited: there is a policy and a backend. */
    public boolean enabled() {
        return checker != null && backend != null;
    }

    /** The policy checker, or null without a policy. */
    public PolicyChecker checker() {
        return checker;
    }

    /** The backend chain, or null without one. */
    public AuditBackend backend() {
        return backend;
    }

    public AuditHandler auditHandler() {
        return handler;
    }

    public FailedAuthenticationAuditor failedAuthenticationAuditor() {
        return failedAuthentication;
    }

    /** Events dropped so far by the backends (0 without backend). */
    public long missedEvents() {
        return backend == null ? 0 : backend.missedEvents();
    }

    /** Flushes and closes the backends; blocks, so call it off the event loop (at shutdown). */
    @Override
    public void close() {
        if (backend != null) {
            backend.close();
        }
    }
}
