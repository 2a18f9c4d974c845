package io.kubetwin.apiserver.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flag validation and start-up errors, as recorded from the v1.34.4 reference. */
class AuditOptionsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreValidAndOff() {
        AuditOptions o = AuditOptions.defaults();
        assertEquals(List.of(), o.validate());
        assertEquals("blocking", o.log().batch().mode());
        assertEquals("batch", o.webhook().batch().mode());
        assertEquals(400, o.webhook().batch().maxBatchSize());
        assertEquals(Duration.ofSeconds(10), o.webhook().initialBackoff());
    }

    @Test
    void everyLogAndWebhookFlagErrorAsTheReferencePrintsThem() {
        // kube-apiserver --audit-log-mode foo --audit-log-format xml --audit-log-maxage -1 --audit-log-maxbackup -2
        //   --audit-log-maxsize -3 --audit-webhook-mode bar (recorded)
        AuditOptions o = AuditOptions.defaults()
                .withLog(AuditOptions.LogOptions.defaults()
                        .withPath("/x/audit.log")
                        .withFormat("xml")
                        .withRotation(-3, -2, -1, false)
                        .withBatch(AuditOptions.LogOptions.defaults().batch().withMode("foo")))
                .withWebhook(AuditOptions.WebhookOptions.defaults()
                        .withConfigFile(Path.of("/nonexistent"))
                        .withBatch(
                                AuditOptions.WebhookOptions.defaults().batch().withMode("bar")));
        assertEquals(
                List.of(
                        "invalid audit log mode foo, allowed modes are \"batch,blocking,blocking-strict\"",
                        "invalid audit log format xml, allowed formats are \"legacy,json\"",
                        "--audit-log-maxage -1 can't be a negative number",
                        "--audit-log-maxbackup -2 can't be a negative number",
                        "--audit-log-maxsize -3 can't be a negative number",
                        "invalid audit webhook mode bar, allowed modes are \"batch,blocking,blocking-strict\""),
                o.validate());
    }

    @Test
    void batchTruncateAndVersionErrorsAsTheReferencePrintsThem() {
        // --audit-log-mode batch --audit-log-batch-buffer-size 0 --audit-log-batch-max-size 0
        //   --audit-log-truncate-max-event-size 0 --audit-log-version audit.k8s.io/v1beta1 (recorded)
        AuditOptions o = AuditOptions.defaults()
                .withLog(AuditOptions.LogOptions.defaults()
                        .withPath("/x/a.log")
                        .withBatch(AuditOptions.LogOptions.defaults()
                                .batch()
                                .withMode("batch")
                                .withBufferSize(0)
                                .withBatch(0, Duration.ZERO)
                                .withThrottle(true, 0, 0))
                        .withTruncate(new AuditOptions.TruncateOptions(false, 0, 10485760))
                        .withVersion("audit.k8s.io/v1beta1"));
        assertEquals(
                List.of(
                        "invalid audit batch log buffer size 0, must be a positive number",
                        "invalid audit truncate log max event size 0, must be a positive number",
                        "invalid group version, allowed versions are [\"audit.k8s.io/v1\"]"),
                o.validate());
        AuditOptions throttle = AuditOptions.defaults()
                .withWebhook(AuditOptions.WebhookOptions.defaults()
                        .withConfigFile(Path.of("/k"))
                        .withBatch(
                                AuditOptions.WebhookOptions.defaults().batch().withThrottle(true, 0.5f, 0)));
        assertEquals(
                List.of("invalid audit batch webhook throttle burst 0, must be a positive number"),
                throttle.validate());
    }

    @Test
    void startUpErrorsNameTheFile() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Path policy = Files.writeString(
                    dir.resolve("p.yaml"),
                    "apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n");
            AuditSetupException e = assertThrows(
                    AuditSetupException.class,
                    () -> AuditSetup.create(AuditOptions.defaults().withPolicyFile(policy), vertx));
            assertEquals(
                    "loading audit policy file: failed decoding: no kind \"Policy\" is registered for version "
                            + "\"audit.k8s.io/v1beta1\" in scheme \"k8s.io/apiserver/pkg/audit/scheme.go:30\": from file "
                            + policy,
                    e.getMessage());

            Path good = Files.writeString(
                    dir.resolve("good.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n");
            e = assertThrows(
                    AuditSetupException.class,
                    () -> AuditSetup.create(
                            AuditOptions.defaults()
                                    .withPolicyFile(good)
                                    .withWebhook(AuditOptions.WebhookOptions.defaults()
                                            .withConfigFile(Path.of("/nonexistent"))),
                            vertx));
            assertEquals("initializing audit webhook: stat /nonexistent: no such file or directory", e.getMessage());

            e = assertThrows(
                    AuditSetupException.class,
                    () -> AuditSetup.create(
                            AuditOptions.defaults()
                                    .withPolicyFile(good)
                                    .withLog(AuditOptions.LogOptions.defaults().withPath("/proc/nope/audit.log")),
                            vertx));
            assertEquals("ensureLogFile: mkdir /proc/nope: no such file or directory", e.getMessage());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void noPolicyMeansNoAuditingEvenWithABackend() throws Exception {
        Path log = dir.resolve("logs/audit.log");
        try (AuditSetup setup = AuditSetup.create(
                AuditOptions.defaults()
                        .withLog(AuditOptions.LogOptions.defaults().withPath(log.toString())),
                null)) {
            assertFalse(setup.enabled());
            assertTrue(Files.exists(log), "kube-apiserver creates the log file at start-up anyway");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent())));
        }
    }
}
