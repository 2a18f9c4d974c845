package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import io.kubetwin.apiserver.testing.Burst;
import io.kubetwin.apiserver.testing.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing is lost: a burst of 20,000 concurrent requests over 4 HTTP/2 connections against the running fake,
 * audited at RequestResponse into a log rotated every megabyte; the events on disk, across every rotated file,
 * match the requests one to one by audit ID (RequestReceived and ResponseComplete once each, nothing else). In
 * blocking mode they are all on disk when the last answer arrives; in batch mode once the server closed
 * (flushed). No timing assertion: the time limit only stops a hung run.
 */
class AuditBurstTest {
    private static final int REQUESTS = 20_000;
    private static final String POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: RequestResponse
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "batch"})
    void everyRequestsEventsAreOnDiskExactlyOnce(String mode) throws Exception {
        Path log = dir.resolve("audit/audit.log");
        ApiServerConfig config = ApiServerConfig.fromArgs(List.of(
                "--bind-address=127.0.0.1",
                "--secure-port=0",
                "--authorization-mode=RBAC",
                "--cert-dir=" + dir.resolve("pki"),
                "--audit-policy-file=" + Files.writeString(dir.resolve("policy.yaml"), POLICY),
                "--audit-log-path=" + log,
                "--audit-log-maxsize=1",
                "--audit-log-mode=" + mode,
                "--audit-log-batch-max-size=100",
                "--audit-log-batch-buffer-size=" + 4 * REQUESTS));
        Burst.Result result;
        AuditLog beforeClose;
        try (TestApiServer server = TestApiServer.start(config)) {
            assertEquals(
                    201,
                    server.admin()
                            .post(
                                    "/api/v1/namespaces/default/configmaps",
                                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"},\"data\":{\"k\":\"v\"}}")
                            .code());
            Burst burst = new Burst(
                    server.server().url(),
                    server.server().clusterCa().certificatePem(),
                    server.credential("burst", "system:masters"),
                    4,
                    256,
                    Duration.ofMinutes(4));
            result = burst.run(server.vertx(), REQUESTS, "burst-", i -> switch (i % 3) {
                        case 0 -> "/api/v1/namespaces/default/configmaps/cm";
                        case 1 -> "/api/v1/namespaces/default/configmaps/missing-" + i;
                        default -> "/api/v1/namespaces/default/configmaps?limit=1";
                    })
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
            beforeClose = AuditLog.read(log);
        }
        assertFalse(
                result.timedOut(),
                "the burst did not finish within its limit: "
                        + result.answered().size());
        assertEquals(0, result.transportErrors());
        int missing = (REQUESTS + 1) / 3; // i % 3 == 1
        assertEquals(Map.of(200, REQUESTS - missing, 404, missing), result.codes());

        List<Path> files = AuditLog.files(log);
        assertTrue(files.size() > 10, "rotation happened: " + files);
        for (Path f : files) {
            assertTrue(Files.size(f) <= 1024 * 1024, f + " exceeds --audit-log-maxsize");
        }
        AuditLog onDisk = AuditLog.read(log);
        Map<String, Map<Stage, Integer>> stages = new HashMap<>();
        for (AuditEvent e : onDisk.events()) {
            if (e.auditId().startsWith("burst-")) {
                stages.computeIfAbsent(e.auditId(), k -> new TreeMap<>()).merge(e.stage(), 1, Integer::sum);
                if (e.stage() == Stage.RESPONSE_COMPLETE) {
                    assertEquals(result.answered().get(e.auditId()), e.code(), e.auditId());
                }
            }
        }
        assertEquals(result.answered().keySet(), stages.keySet(), "events match the requests by audit ID");
        Map<Stage, Integer> once = Map.of(Stage.REQUEST_RECEIVED, 1, Stage.RESPONSE_COMPLETE, 1);
        assertEquals(Set.of(once), Set.copyOf(stages.values()), "each request has each stage exactly once");
        if (mode.equals("blocking")) {
            assertEquals(onDisk.size(), beforeClose.size(), "blocking: every event was written before its response");
        }
    }
}
