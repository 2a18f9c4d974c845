package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.apiserver.audit.AuditOptions;
import io.kubetwin.apiserver.audit.AuditOptions.BatchOptions;
import io.kubetwin.apiserver.audit.AuditOptions.LogOptions;
import io.kubetwin.apiserver.audit.AuditOptions.TruncateOptions;
import io.kubetwin.apiserver.audit.AuditOptions.WebhookOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code --audit-*} flags: upstream's names, defaults, value syntax and start-up errors; and the Java builder. */
class AuditFlagsTest {
    private static AuditOptions parse(String... args) {
        return ApiServerConfig.fromArgs(Arrays.asList(args)).audit();
    }

    private static String error(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> ApiServerConfig.fromArgs(Arrays.asList(args)))
                .getMessage();
    }

    private static final LogOptions LOG = LogOptions.defaults().withPath("/var/log/a.log");
    private static final WebhookOptions HOOK = WebhookOptions.defaults().withConfigFile(Path.of("/etc/hook.yaml"));

    @Test
    void defaultsAreUpstreams() {
        assertEquals(AuditOptions.defaults(), parse());
        assertEquals(AuditOptions.defaults(), ApiServerConfig.builder().build().audit());
    }

    static Stream<Arguments> flags() {
        return Stream.of(
                flag("--audit-policy-file=/etc/p.yaml", o -> o.withPolicyFile(Path.of("/etc/p.yaml"))),
                flag("--audit-log-path=-", o -> o.withLog(o.log().withPath("-"))),
                flag("--audit-log-maxage=7", o -> o.withLog(LOG.withRotation(0, 0, 7, false))),
                flag("--audit-log-maxbackup=0x10", o -> o.withLog(LOG.withRotation(0, 16, 0, false))),
                flag("--audit-log-maxsize=1", o -> o.withLog(LOG.withRotation(1, 0, 0, false))),
                flag("--audit-log-compress", o -> o.withLog(LOG.withRotation(0, 0, 0, true))),
                flag("--audit-log-compress=T", o -> o.withLog(LOG.withRotation(0, 0, 0, true))),
                flag("--audit-log-format=legacy", o -> o.withLog(LOG.withFormat("legacy"))),
                flag("--audit-log-version=audit.k8s.io/v1", o -> o.withLog(LOG)),
                flag(
                        "--audit-log-mode=batch",
                        o -> o.withLog(LOG.withBatch(LOG.batch().withMode("batch")))),
                flag(
                        "--audit-log-batch-buffer-size=5",
                        o -> o.withLog(LOG.withBatch(LOG.batch().withBufferSize(5)))),
                flag(
                        "--audit-log-batch-max-size=100",
                        o -> o.withLog(LOG.withBatch(LOG.batch().withBatch(100, Duration.ZERO)))),
                flag(
                        "--audit-log-batch-max-wait=1m30s",
                        o -> o.withLog(LOG.withBatch(LOG.batch().withBatch(1, Duration.ofSeconds(90))))),
                flag(
                        "--audit-log-batch-throttle-enable",
                        o -> o.withLog(LOG.withBatch(LOG.batch().withThrottle(true, 0, 0)))),
                flag(
                        "--audit-log-batch-throttle-qps=2.5",
                        o -> o.withLog(LOG.withBatch(LOG.batch().withThrottle(false, 2.5f, 0)))),
                flag(
                        "--audit-log-batch-throttle-burst=3",
                        o -> o.withLog(LOG.withBatch(LOG.batch().withThrottle(false, 0, 3)))),
                flag(
                        "--audit-log-truncate-enabled",
                        o -> o.withLog(LOG.withTruncate(new TruncateOptions(true, 102400, 10485760)))),
                flag(
                        "--audit-log-truncate-max-event-size=10",
                        o -> o.withLog(LOG.withTruncate(new TruncateOptions(false, 10, 10485760)))),
                flag(
                        "--audit-log-truncate-max-batch-size=200000",
                        o -> o.withLog(LOG.withTruncate(new TruncateOptions(false, 102400, 200000)))),
                flag("--audit-webhook-config-file=/etc/hook.yaml", o -> o.withWebhook(HOOK)),
                flag(
                        "--audit-webhook-mode=blocking",
                        o -> o.withWebhook(HOOK.withBatch(HOOK.batch().withMode("blocking")))),
                flag(
                        "--audit-webhook-initial-backoff=250ms",
                        o -> o.withWebhook(HOOK.withInitialBackoff(Duration.ofMillis(250)))),
                flag(
                        "--audit-webhook-batch-buffer-size=9",
                        o -> o.withWebhook(HOOK.withBatch(HOOK.batch().withBufferSize(9)))),
                flag(
                        "--audit-webhook-batch-max-size=8",
                        o -> o.withWebhook(HOOK.withBatch(HOOK.batch().withBatch(8, Duration.ofSeconds(30))))),
                flag(
                        "--audit-webhook-batch-max-wait=10ms",
                        o -> o.withWebhook(HOOK.withBatch(HOOK.batch().withBatch(400, Duration.ofMillis(10))))),
                flag(
                        "--audit-webhook-batch-throttle-enable=false",
                        o -> o.withWebhook(HOOK.withBatch(HOOK.batch().withThrottle(false, 10, 15)))),
                flag(
                        "--audit-webhook-batch-throttle-qps=1e2",
                        o -> o.withWebhook(HOOK.withBatch(HOOK.batch().withThrottle(true, 100, 15)))),
                flag(
                        "--audit-webhook-batch-throttle-burst=1",
                        o -> o.withWebhook(HOOK.withBatch(HOOK.batch().withThrottle(true, 10, 1)))),
                flag(
                        "--audit-webhook-truncate-enabled=1",
                        o -> o.withWebhook(HOOK.withTruncate(new TruncateOptions(true, 102400, 10485760)))),
                flag(
                        "--audit-webhook-truncate-max-event-size=5",
                        o -> o.withWebhook(HOOK.withTruncate(new TruncateOptions(false, 5, 10485760)))),
                flag(
                        "--audit-webhook-truncate-max-batch-size=0x30000",
                        o -> o.withWebhook(HOOK.withTruncate(new TruncateOptions(false, 102400, 196608)))),
                flag("--audit-webhook-version=audit.k8s.io/v1", o -> o.withWebhook(HOOK)));
    }

    private static Arguments flag(String arg, UnaryOperator<AuditOptions> expected) {
        return Arguments.of(arg, expected);
    }

    /** Each flag alone (with a log path or webhook file so that validation sees the backend on). */
    @ParameterizedTest
    @MethodSource("flags")
    void eachFlagMapsOntoAuditOptions(String arg, UnaryOperator<AuditOptions> expected) {
        List<String> args = arg.startsWith("--audit-webhook-") && !arg.startsWith("--audit-webhook-config-file")
                ? List.of(arg, "--audit-webhook-config-file=/etc/hook.yaml")
                : arg.startsWith("--audit-log-") && !arg.startsWith("--audit-log-path")
                        ? List.of(arg, "--audit-log-path=/var/log/a.log")
                        : List.of(arg);
        assertEquals(expected.apply(AuditOptions.defaults()), parse(args.toArray(String[]::new)));
    }

    @Test
    void separateValuesAreAccepted() {
        assertEquals(
                AuditOptions.defaults().withPolicyFile(Path.of("p.yaml")).withLog(LOG.withFormat("legacy")),
                parse(
                        "--audit-policy-file",
                        "p.yaml",
                        "--audit-log-path",
                        "/var/log/a.log",
                        "--audit-log-format",
                        "legacy"));
    }

    /** Messages recorded from kube-apiserver v1.34.4 (pflag's parse errors and AuditOptions.Validate). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --audit-log-maxage=abc | invalid argument "abc" for "--audit-log-maxage" flag: strconv.ParseInt: parsing "abc": invalid syntax
            --audit-log-batch-max-wait=3x | invalid argument "3x" for "--audit-log-batch-max-wait" flag: time: unknown unit "x" in duration "3x"
            --audit-log-compress=maybe | invalid argument "maybe" for "--audit-log-compress" flag: strconv.ParseBool: parsing "maybe": invalid syntax
            --audit-webhook-batch-throttle-qps=fast | invalid argument "fast" for "--audit-webhook-batch-throttle-qps" flag: strconv.ParseFloat: parsing "fast": invalid syntax
            --audit-foo=1 | unknown flag: --audit-foo (not one of kube-apiserver's --audit-* flags; see --help)
            --audit-log-path=/x --audit-log-mode=batch --audit-log-batch-buffer-size=0 | invalid audit batch log buffer size 0, must be a positive number
            --audit-log-path=/x --audit-log-mode=foo --audit-log-format=xml --audit-log-maxage=-1 | [invalid audit log mode foo, allowed modes are "batch,blocking,blocking-strict", invalid audit log format xml, allowed formats are "legacy,json", --audit-log-maxage -1 can't be a negative number]
            --audit-webhook-config-file=/h --audit-webhook-version=audit.k8s.io/v1beta1 | invalid group version, allowed versions are ["audit.k8s.io/v1"]
            """)
    void badFlagsStopTheStartWithUpstreamsMessage(String args, String message) {
        assertEquals(message, error(args.split(" ")));
    }

    @Test
    void badValuesOfAnOffBackendAreNotChecked() {
        // upstream validates a backend's flags only when the backend is on
        assertEquals("foo", parse("--audit-log-mode=foo").log().batch().mode());
    }

    @Test
    void builderSetsAuditOptions() {
        ApiServerConfig config = ApiServerConfig.builder()
                .auditPolicyFile(Path.of("p.yaml"))
                .auditLogPath("/l.log")
                .auditLogMode("batch")
                .auditWebhookConfigFile(Path.of("h.yaml"))
                .build();
        AuditOptions expected = AuditOptions.defaults()
                .withPolicyFile(Path.of("p.yaml"))
                .withLog(LogOptions.defaults()
                        .withPath("/l.log")
                        .withBatch(LogOptions.defaults().batch().withMode("batch")))
                .withWebhook(WebhookOptions.defaults().withConfigFile(Path.of("h.yaml")));
        assertEquals(expected, config.audit());
        assertEquals(expected, config.toBuilder().build().audit());
        BatchOptions batch = LogOptions.defaults().batch().withMode("blocking-strict");
        assertEquals(
                batch,
                ApiServerConfig.builder()
                        .audit(expected.withLog(LOG.withBatch(batch)))
                        .build()
                        .audit()
                        .log()
                        .batch());
    }
}
