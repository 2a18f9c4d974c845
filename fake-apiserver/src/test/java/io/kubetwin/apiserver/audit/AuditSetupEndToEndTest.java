package io.kubetwin.apiserver.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.policy.ExamplePolicies;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import io.kubetwin.apiserver.audit.reader.AuditWebhookReceiver;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From flags to events through the whole server: a log and a webhook backend at once, and the legacy format. */
class AuditSetupEndToEndTest {
    @TempDir
    Path dir;

    Vertx vertx;

    @BeforeEach
    void receiverVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** The whole server with these audit flags; the token alice names alice, and AlwaysAllow allows her. */
    private TestApiServer server(AuditOptions audit) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), "alice,alice,uid-alice\n");
        return TestApiServer.start(b -> b.tokenAuthFile(tokens)
                .authorizationModes(List.of("AlwaysAllow"))
                .audit(audit));
    }

    private Path policy() throws Exception {
        return Files.writeString(dir.resolve("policy.yaml"), ExamplePolicies.text(ExamplePolicies.METADATA));
    }

    @Test
    void logAndWebhookReceiveTheSameEvents() throws Exception {
        Path log = dir.resolve("audit/audit.log");
        try (AuditWebhookReceiver receiver = AuditWebhookReceiver.start(vertx)
                .toCompletionStage()
                .toCompletableFuture()
                .join()) {
            AuditOptions options = AuditOptions.defaults()
                    .withPolicyFile(policy())
                    .withLog(AuditOptions.LogOptions.defaults().withPath(log.toString()))
                    .withWebhook(AuditOptions.WebhookOptions.defaults()
                            .withConfigFile(receiver.writeKubeconfig(dir.resolve("webhook.yaml")))
                            .withBatch(AuditOptions.WebhookOptions.defaults()
                                    .batch()
                                    .withBatch(400, Duration.ofMillis(100))));
            try (TestApiServer server = server(options)) {
                ApiClient alice = server.token("alice");
                for (int i = 0; i < 3; i++) {
                    alice.send("GET", "/api/v1/namespaces/default/pods", null, null, "Audit-ID", "e" + i);
                }
                assertTrue(receiver.awaitEvents(6, Duration.ofSeconds(20)), "batches of at most 100 ms");
                assertEquals(0, server.missedAuditEvents());
            }
            List<String> logged = AuditLog.read(log).events().stream()
                    .map(AuditEventJson::toJson)
                    .sorted()
                    .toList();
            List<String> received = receiver.events().events().stream()
                    .map(AuditEventJson::toJson)
                    .sorted()
                    .toList();
            assertEquals(6, logged.size());
            assertEquals(logged, received);
        }
    }

    @Test
    void legacyFormat() throws Exception {
        Path log = dir.resolve("audit.log");
        AuditOptions options = AuditOptions.defaults()
                .withPolicyFile(policy())
                .withLog(AuditOptions.LogOptions.defaults()
                        .withPath(log.toString())
                        .withFormat("legacy"));
        try (TestApiServer server = server(options)) {
            server.token("alice")
                    .send(
                            "GET",
                            "/api/v1/namespaces/default/pods?limit=1",
                            null,
                            null,
                            "Audit-ID",
                            "l1",
                            "User-Agent",
                            "kubectl \"quoted\"");
        }
        List<String> lines = Files.readAllLines(log);
        assertEquals(2, lines.size());
        String rest = " AUDIT: id=\"l1\" stage=\"%s\" ip=\"127.0.0.1\" method=\"list\" user=\"alice\" "
                + "groups=\"\\\"system:authenticated\\\"\" as=\"<self>\" asgroups=\"<lookup>\" "
                + "user-agent=\"kubectl \\\"quoted\\\"\" namespace=\"default\" uri=\"/api/v1/namespaces/default/pods?limit=1\" "
                + "response=\"%s\"";
        assertEquals(
                String.format(rest, "RequestReceived", "<deferred>"),
                lines.get(0).substring(lines.get(0).indexOf(' ')));
        assertEquals(
                String.format(rest, "ResponseComplete", "200"),
                lines.get(1).substring(lines.get(1).indexOf(' ')));
        assertTrue(lines.get(0)
                .matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d) AUDIT: .*"));
    }
}
