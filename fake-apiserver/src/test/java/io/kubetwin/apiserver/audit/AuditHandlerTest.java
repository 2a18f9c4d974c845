package io.kubetwin.apiserver.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.EventUser;
import io.kubetwin.apiserver.audit.event.ResponseStatus;
import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import io.kubetwin.apiserver.request.RequestState;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit stage's behaviours beyond the reference recordings, over TLS through the whole server: the token
 * {@code alice} names alice, AlwaysAllow allows everything, and the paths the API does not have are handlers
 * added behind the pipeline ({@code /panic} fails, {@code /direct} ends the response behind the request state's
 * back, {@code /m}, {@code /r} and {@code /rr} write the object {@code {"kind":"X"}}).
 */
class AuditHandlerTest {
    private static final String METADATA = "- level: Metadata\n";

    @TempDir
    Path dir;

    Path log;

    @BeforeEach
    void paths() {
        log = dir.resolve("audit.log");
    }

    private TestApiServer start(String rules) throws Exception {
        return start(rules, b -> b);
    }

    /** A server auditing with {@code rules} (the policy's body after {@code kind}) into {@link #log}, in blocking mode. */
    private TestApiServer start(String rules, UnaryOperator<ApiServerConfig.Builder> more) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), "alice,alice,uid-alice\n");
        Path policy = Files.writeString(
                dir.resolve("policy.yaml"),
                "apiVersion: audit.k8s.io/v1\nkind: Policy\n"
                        + (rules.startsWith("omitStages") ? rules : "rules:\n" + rules));
        TestApiServer server = TestApiServer.start(b -> more.apply(b.tokenAuthFile(tokens)
                .authorizationModes(List.of("AlwaysAllow"))
                .auditPolicyFile(policy)
                .auditLogPath(log.toString())));
        server.handlerRoute("/panic").handler(rc -> {
            throw new IllegalStateException("boom");
        });
        server.handlerRoute("/direct")
                .handler(rc -> rc.response().setStatusCode(202).end("not through state.end"));
        for (String path : List.of("/m", "/r", "/rr")) {
            server.handlerRoute(path).handler(AuditHandlerTest::writeX);
        }
        return server;
    }

    /** What a resource handler does with the object it answers: to audit first, then out through the request state. */
    private static void writeX(RoutingContext rc) {
        ObjectNode object = JsonNodeFactory.instance.objectNode().put("kind", "X");
        RequestState state = RequestState.of(rc);
        state.responseObject(object);
        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json");
        state.end(rc, Buffer.buffer(object + "\n"));
    }

    private static ApiClient.Response get(ApiClient client, String path, String auditId) {
        return auditId == null ? client.get(path) : client.send("GET", path, null, null, "Audit-ID", auditId);
    }

    @Test
    void panicGetsAPanicEventAndNoResponseComplete() throws Exception {
        try (TestApiServer server = start(METADATA)) {
            assertEquals(500, get(server.token("alice"), "/panic", "p1").code());
        }
        List<AuditEvent> events = AuditLog.read(log).query().auditId("p1").list();
        assertEquals(
                List.of(Stage.REQUEST_RECEIVED, Stage.PANIC),
                events.stream().map(AuditEvent::stage).toList());
        assertEquals(
                new ResponseStatus(
                        "Failure",
                        "APIServer panic'd: java.lang.IllegalStateException: boom",
                        "InternalError",
                        null,
                        500),
                events.get(1).responseStatus());
    }

    /** A log that cannot be written (/dev/full) in blocking-strict mode: RequestReceived is not stored. */
    @Test
    void blockingStrictFailsTheRequestWhenRequestReceivedCannotBeStored() throws Exception {
        try (TestApiServer server =
                start(METADATA, b -> b.auditLogPath("/dev/full").auditLogMode("blocking-strict"))) {
            ApiClient.Response r = server.token("alice").get("/api/v1/namespaces/a&b/pods?a=1&b=2");
            assertEquals(500, r.code());
            assertEquals(
                    "Internal Server Error: \"/api/v1/namespaces/a&amp;b/pods?a=1&amp;b=2\": failed to store audit event\n",
                    r.body());
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
        }
    }

    @Test
    void blockingModeWritesEveryEventBeforeTheResponseCompletes() throws Exception {
        try (TestApiServer server = start(METADATA)) {
            ApiClient alice = server.token("alice");
            for (int i = 0; i < 100; i++) {
                String id = "b" + i;
                get(alice, "/api/v1/namespaces/default/pods", id);
                // read right after the response arrived: both events must already be on disk
                assertEquals(2, AuditLog.read(log).query().auditId(id).count(), "events of " + id);
            }
        }
    }

    @Test
    void auditIdsComeFromTheClientOrAreGenerated() throws Exception {
        try (TestApiServer server = start(METADATA)) {
            ApiClient alice = server.token("alice");
            ApiClient.Response given = get(alice, "/api", "Lorem");
            assertEquals("Lorem", given.header("Audit-Id"));
            ApiClient.Response generated = get(alice, "/api", null);
            String id = generated.header("Audit-Id");
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            assertEquals(2, AuditLog.read(log).query().auditId(id).count());
            assertEquals(2, AuditLog.read(log).query().auditId("Lorem").count());
        }
    }

    @Test
    void omittedStagesAndLevelNone() throws Exception {
        String policy = """
                omitStages: ["RequestReceived"]
                rules:
                - level: None
                  nonResourceURLs: ["/healthz"]
                - level: Metadata
                """;
        try (TestApiServer server = start(policy)) {
            get(server.anonymous(), "/healthz", "none");
            get(server.token("alice"), "/api/v1/pods", "omit");
        }
        AuditLog events = AuditLog.read(log);
        events.query().auditId("none").expectNone();
        assertEquals(
                List.of(Stage.RESPONSE_COMPLETE),
                events.query().auditId("omit").list().stream()
                        .map(AuditEvent::stage)
                        .toList());
    }

    /**
     * One ResponseStarted event without a user. Its responseStatus is the 401 Status kube-apiserver v1.34 always
     * writes (the "Authentication failed, attempted: ..." message the failed-authentication filter starts with is
     * replaced by it, as in the reference's 09-badtoken). Anonymous access is off: with it on, kube-apiserver
     * treats a Basic header it has no authenticator for as no credential at all and lets the request in anonymous.
     */
    @Test
    void failedAuthenticationGetsOneResponseStartedEventWithTheUnauthorizedStatus() throws Exception {
        try (TestApiServer server = start(METADATA, b -> b.anonymousAuth(false))) {
            assertEquals(
                    401, get(server.token("wrong"), "/api?access_token=x", "f1").code());
            assertEquals(
                    401,
                    get(server.anonymous().header("Authorization", "Basic YTpi"), "/api", "f2")
                            .code());
        }
        AuditLog events = AuditLog.read(log);
        AuditEvent f1 = events.query().auditId("f1").single();
        assertEquals(Stage.RESPONSE_STARTED, f1.stage());
        assertEquals(EventUser.NONE, f1.user());
        ResponseStatus unauthorized = new ResponseStatus("Failure", "Unauthorized", "Unauthorized", null, 401);
        assertEquals(unauthorized, f1.responseStatus());
        assertEquals(unauthorized, events.query().auditId("f2").single().responseStatus());
    }

    @Test
    void aResponseEndedBehindAuditsBackIsStillAudited() throws Exception {
        try (TestApiServer server = start(METADATA)) {
            assertEquals(202, get(server.token("alice"), "/direct", "d1").code());
            Supplier<Integer> complete = () -> AuditLog.read(log)
                    .query()
                    .auditId("d1")
                    .stage(Stage.RESPONSE_COMPLETE)
                    .count();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (complete.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(
                    202,
                    AuditLog.read(log)
                            .query()
                            .auditId("d1")
                            .stage(Stage.RESPONSE_COMPLETE)
                            .single()
                            .code());
        }
    }

    @Test
    void levelsDecideTheBodies() throws Exception {
        String policy = """
                - level: Metadata
                  nonResourceURLs: ["/m"]
                - level: Request
                  nonResourceURLs: ["/r"]
                - level: RequestResponse
                """;
        try (TestApiServer server = start(policy)) {
            for (String p : List.of("/m", "/r", "/rr")) {
                get(server.token("alice"), p, p);
            }
        }
        AuditLog events = AuditLog.read(log);
        assertEquals(
                null,
                events.query()
                        .auditId("/m")
                        .stage(Stage.RESPONSE_COMPLETE)
                        .single()
                        .responseObject());
        assertEquals(
                null,
                events.query()
                        .auditId("/r")
                        .stage(Stage.RESPONSE_COMPLETE)
                        .single()
                        .responseObject());
        assertEquals(
                "{\"kind\":\"X\"}",
                events.query()
                        .auditId("/rr")
                        .stage(Stage.RESPONSE_COMPLETE)
                        .single()
                        .responseObject()
                        .toString());
        assertTrue(events.query()
                        .auditId("/rr")
                        .stage(Stage.REQUEST_RECEIVED)
                        .single()
                        .responseStatus()
                == null);
    }
}
