package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import io.kubetwin.apiserver.audit.reader.AuditWebhookReceiver;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the reference cannot be made to show, over TLS against the whole fake: a handler failure (Panic), the
 * generated Audit-ID, blocking-strict failing requests, the webhook backend next to the log, and start-up
 * refusals of bad audit configuration.
 */
class AuditServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST_RESPONSE =
            "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n";

    @TempDir
    Path dir;

    private ApiServerConfig.Builder audited(String policy) throws Exception {
        return ApiServerConfig.builder()
                .auditPolicyFile(Files.writeString(dir.resolve("policy.yaml"), policy))
                .auditLogPath(dir.resolve("audit.log").toString());
    }

    private List<String> events() throws Exception {
        return Files.readAllLines(dir.resolve("audit.log")).stream()
                .map(AuditServerTest::normalize)
                .toList();
    }

    private static String normalize(String line) {
        try {
            ObjectNode event = AuditReferenceTest.normalize((ObjectNode) JSON.readTree(line));
            event.put(
                    "auditID",
                    event.path("auditID").asText().length() == 36
                            ? "<uuid>"
                            : event.path("auditID").asText());
            return JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(line, e);
        }
    }

    /** The admin's user and the common fields of an event, with the stage's fields in the middle. */
    private static String event(String id, String stage, String uri, String verb, String rest) {
        return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\",\"auditID\":\""
                + id
                + "\",\"stage\":\"" + stage + "\",\"requestURI\":\"" + uri + "\",\"verb\":\"" + verb + "\","
                + "\"user\":{\"username\":\"admin\",\"groups\":[\"system:masters\",\"system:authenticated\"],"
                + "\"extra\":{\"authentication.kubernetes.io/credential-id\":[\"X509SHA256=...\"]}},"
                + "\"sourceIPs\":[\"127.0.0.1\"],\"userAgent\":\"kubetwin-test/1.0\"," + rest
                + "\"requestReceivedTimestamp\":\"T\",\"stageTimestamp\":\"T\"";
    }

    private static final String ALLOWED =
            ",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"\"}}";

    /**
     * WithAudit's deferred recover: a failing handler gets a Panic event (no ResponseComplete), written before the
     * client sees WithPanicRecovery's plain-text 500.
     */
    @Test
    void aFailingHandlerIsAuditedAsPanic() throws Exception {
        try (TestApiServer server =
                TestApiServer.start(audited(REQUEST_RESPONSE).build())) {
            server.handlerRoute("/boom").handler(rc -> {
                throw new IllegalStateException("boom");
            });
            ApiClient.Response r =
                    server.as("admin", "system:masters").send("GET", "/boom?x=1", null, null, "Audit-ID", "p1");
            assertEquals(500, r.code());
            assertEquals(StatusErrorHandler.PANIC_BODY, r.body());
            assertEquals(
                    List.of(
                            event("p1", "RequestReceived", "/boom?x=1", "get", "") + "}",
                            event(
                                            "p1",
                                            "Panic",
                                            "/boom?x=1",
                                            "get",
                                            "\"responseStatus\":{\"metadata\":{},\"status\":\"Failure\","
                                                    + "\"message\":\"APIServer panic'd: java.lang.IllegalStateException: boom\",\"reason\":\"InternalError\","
                                                    + "\"code\":500},")
                                    + ALLOWED),
                    events(),
                    "on disk before the answer (blocking mode)");
        }
    }

    @Test
    void aGeneratedAuditIdIsEchoedAndLogged() throws Exception {
        try (TestApiServer server =
                TestApiServer.start(audited(REQUEST_RESPONSE).build())) {
            ApiClient.Response r = server.as("admin", "system:masters").get("/healthz");
            String id = r.header("Audit-Id");
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            List<String> ids = AuditLog.read(dir.resolve("audit.log")).events().stream()
                    .map(e -> e.auditId())
                    .distinct()
                    .toList();
            assertEquals(List.of(id), ids);
            assertEquals(
                    List.of(
                            event("<uuid>", "RequestReceived", "/healthz", "get", "") + "}",
                            event(
                                            "<uuid>",
                                            "ResponseComplete",
                                            "/healthz",
                                            "get",
                                            "\"responseStatus\":{\"metadata\":{},\"code\":200},")
                                    + ALLOWED),
                    events());
        }
    }

    /** A log that cannot be written: blocking-strict fails the request (plain text, as responsewriters.InternalError). */
    @Test
    void blockingStrictFailsRequestsWhoseEventCannotBeStored() throws Exception {
        ApiServerConfig config = audited(REQUEST_RESPONSE)
                .auditLogPath("/dev/full")
                .auditLogMode("blocking-strict")
                .build();
        try (TestApiServer server = TestApiServer.start(config)) {
            ApiClient.Response r = server.admin().get("/api/v1/namespaces?limit=1");
            assertEquals(500, r.code());
            assertEquals(
                    "Internal Server Error: \"/api/v1/namespaces?limit=1\": failed to store audit event\n", r.body());
            // blocking (not strict) ignores the error, as upstream's ignoreErrors wrapper does
        }
        try (TestApiServer server =
                TestApiServer.start(config.toBuilder().auditLogMode("blocking").build())) {
            assertEquals(200, server.admin().get("/api/v1/namespaces?limit=1").code());
        }
    }

    /** Both backends at once: the webhook receives exactly the events the log has (batch mode, flushed on close). */
    @Test
    void webhookAndLogReceiveTheSameEvents() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (AuditWebhookReceiver receiver = AuditWebhookReceiver.start(vertx)
                .toCompletionStage()
                .toCompletableFuture()
                .join()) {
            ApiServerConfig config = ApiServerConfig.fromArgs(List.of(
                    "--bind-address=127.0.0.1",
                    "--secure-port=0",
                    "--authorization-mode=RBAC",
                    "--cert-dir=" + dir.resolve("pki"),
                    "--audit-policy-file=" + Files.writeString(dir.resolve("policy.yaml"), REQUEST_RESPONSE),
                    "--audit-log-path=" + dir.resolve("audit.log"),
                    "--audit-webhook-config-file=" + receiver.writeKubeconfig(dir.resolve("webhook.yaml")),
                    "--audit-webhook-batch-max-wait=1h"));
            try (TestApiServer server = TestApiServer.start(config)) {
                server.admin().get("/api/v1/namespaces/default");
                server.anonymous().get("/api/v1/secrets");
                server.token("nobody").get("/api");
            }
            // the batch was still waiting: closing the server flushed it
            List<String> logged = AuditLog.read(dir.resolve("audit.log")).events().stream()
                    .map(AuditEventJson::toJson)
                    .toList();
            List<String> received = receiver.events().events().stream()
                    .map(AuditEventJson::toJson)
                    .toList();
            assertEquals(5, logged.size());
            assertEquals(logged, received);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** Start-up fails with kube-apiserver's error, naming the file and the problem. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            rules: [{level: Everything}] | - | loading audit policy file: rules[0].level: Unsupported value: "Everything": supported values: "None", "Metadata", "Request", "RequestResponse": from file <policy>
            rules: [] | - | loading audit policy file: loaded illegal policy with 0 rules: from file <policy>
            rules: [{level: Metadata}] | /proc/nope/audit.log | ensureLogFile: mkdir /proc/nope: no such file or directory
            """)
    void badAuditConfigurationStopsTheStart(String rules, String logPath, String message) throws Exception {
        Path policy = Files.writeString(
                dir.resolve("policy.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\n" + rules + "\n");
        ApiServerConfig config = ApiServerConfig.builder()
                .auditPolicyFile(policy)
                .auditLogPath(logPath)
                .build();
        RuntimeException e = Assertions.assertThrows(
                RuntimeException.class, () -> TestApiServer.start(config).close());
        assertEquals(message.replace("<policy>", policy.toString()), e.getMessage());
    }
}
