package io.kubetwin.apiserver.audit;





import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.apiserver.audit.event.ResponseStatus;
import io.kubetwin.apiserver.audit.event.EventUser;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.audit.backend.BlockingBackend;
import io.kubetwin.apiserver.audit.backend.EventSink;
import io.kubetwin.apiserver.audit.backend.LogFormat;
import io.kubetwin.apiserver.audit.backend.LogSink;
import io.kubetwin.apiserver.audit.backend.LumberjackWriter;
import io.kubetwin.apiserver.audit.policy.Policy;
import io.kubetwin.apiserver.audit.policy.AuditPolicyRule;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import io.kubetwin.apiserver.attributes.UserInfo;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit stage's behaviours beyond the reference recordings, over TLS through the stub chain. */
class AuditHandlerTest {
    @TempDir
    Path dir;
    Vertx vertx;
    Path log;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        log = dir.resolve("audit.log");
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Tokens name users, everything is allowed, the path picks the handler's behaviour. */
    static final class Simple implements StubChain.Behaviour {
        boolean statusUnauthorized = true;

        @Override
        public UserInfo authenticate(RoutingContext rc) {
            String auth = rc.request().getHeader("Authorization");
            if (auth == null) {
                return UserInfo.anonymous();
            }
            return auth.equals("Bearer alice") ? UserInfo.of("alice", "system:authenticated") : null;
        }

        @Override
        public Status authorize(RoutingContext rc, RequestState state) {
            state.annotate("authorization.k8s.io/decision", "allow");
            state.annotate("authorization.k8s.io/reason", "");
            return null;
        }

        @Override
        public void handle(RoutingContext rc, RequestState state) {
            switch (rc.request().path()) {
                case "/panic" -> throw new IllegalStateException("boom");
                case "/direct" -> rc.response().setStatusCode(202).end("not through state.end");
                default -> StubChain.writeObject(rc, 200, JsonNodeFactory.instance.objectNode().put("kind", "X"));
            }
        }

        @Override
        public boolean unauthorizedAsStatus() {
            return statusUnauthorized;
        }
    }

    private AuditSetup setup(Policy policy, boolean strict) {
        EventSink sink = new LogSink(new LumberjackWriter(log, 1 << 30, 0, 0, false, Clock.systemUTC()), LogFormat.JSON,
                ZoneOffset.UTC);
        return AuditSetup.of(policy, new BlockingBackend(sink, strict));
    }

    private static Policy all(io.kubetwin.apiserver.audit.event.Level level) {
        return Policy.builder().rule(AuditPolicyRule.level(level)).build();
    }

    private HttpResponse<String> get(StubChain chain, String path, String... headers) throws Exception {
        var b = chain.request(path);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return chain.send(b.GET().build());
    }

    @Test
    void panicGetsAPanicEventAndNoResponseComplete() throws Exception {
        try (AuditSetup audit = setup(all(io.kubetwin.apiserver.audit.event.Level.METADATA), false);
             StubChain chain = StubChain.start(vertx, audit, new Simple())) {
            HttpResponse<String> r = get(chain, "/panic", "Audit-ID", "p1", "Authorization", "Bearer alice");
            assertEquals(500, r.statusCode());
        }
        List<AuditEvent> events = AuditLog.read(log).query().auditId("p1").list();
        assertEquals(List.of(Stage.REQUEST_RECEIVED, Stage.PANIC), events.stream().map(AuditEvent::stage).toList());
        assertEquals(new ResponseStatus("Failure", "APIServer panic'd: java.lang.IllegalStateException: boom",
                "InternalError", null, 500), events.get(1).responseStatus());
    }

    @Test
    void blockingStrictFailsTheRequestWhenRequestReceivedCannotBeStored() throws Exception {
        EventSink failing = new EventSink() {
            @Override
            public boolean write(List<AuditEvent> events) {
                return false;
            }

            @Override
            public long missedEvents() {
                return 0;
            }

            @Override
            public void close() {
            }

            @Override
            public String name() {
                return "failing";
            }
        };
        try (AuditSetup audit = AuditSetup.of(all(io.kubetwin.apiserver.audit.event.Level.METADATA), new BlockingBackend(failing, true));
             StubChain chain = StubChain.start(vertx, audit, new Simple())) {
            HttpResponse<String> r = get(chain, "/api/v1/namespaces/a&b/pods?a=1&b=2", "Authorization", "Bearer alice");
            assertEquals(500, r.statusCode());
            assertEquals("Internal Server Error: \"/api/v1/namespaces/a&amp;b/pods?a=1&amp;b=2\": failed to store audit event\n",
                    r.body());
            assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        }
    }

    @Test
    void blockingModeWritesEveryEventBeforeTheResponseCompletes() throws Exception {
        try (AuditSetup audit = setup(all(io.kubetwin.apiserver.audit.event.Level.METADATA), false);
             StubChain chain = StubChain.start(vertx, audit, new Simple())) {
            for (int i = 0; i < 100; i++) {
                String id = "b" + i;
                get(chain, "/api/v1/namespaces/default/pods", "Audit-ID", id, "Authorization", "Bearer alice");
                // read right after the response arrived: both events must already be on disk
                assertEquals(2, AuditLog.read(log).query().auditId(id).count(), "events of " + id);
            }
        }
    }

    @Test
    void auditIdsComeFromTheClientOrAreGenerated() throws Exception {
        try (AuditSetup audit = setup(all(io.kubetwin.apiserver.audit.event.Level.METADATA), false);
             StubChain chain = StubChain.start(vertx, audit, new Simple())) {
            HttpResponse<String> given = get(chain, "/api", "Audit-ID", "Lorem", "Authorization", "Bearer alice");
            assertEquals("Lorem", given.headers().firstValue("Audit-Id").orElse(""));
            HttpResponse<String> generated = get(chain, "/api", "Authorization", "Bearer alice");
            String id = generated.headers().firstValue("Audit-Id").orElse("");
            assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            assertEquals(2, AuditLog.read(log).query().auditId(id).count());
            assertEquals(2, AuditLog.read(log).query().auditId("Lorem").count());
        }
    }

    @Test
    void omittedStagesAndLevelNone() throws Exception {
        Policy policy = Policy.builder().omitStages(Stage.REQUEST_RECEIVED)
                .rule(AuditPolicyRule.level(io.kubetwin.apiserver.audit.event.Level.NONE).nonResourceURLs("/healthz"))
                .rule(AuditPolicyRule.level(io.kubetwin.apiserver.audit.event.Level.METADATA)).build();
        try (AuditSetup audit = setup(policy, false); StubChain chain = StubChain.start(vertx, audit, new Simple())) {
            get(chain, "/healthz", "Audit-ID", "none");
            get(chain, "/api/v1/pods", "Audit-ID", "omit", "Authorization", "Bearer alice");
        }
        AuditLog events = AuditLog.read(log);
        events.query().auditId("none").expectNone();
        assertEquals(List.of(Stage.RESPONSE_COMPLETE), events.query().auditId("omit").list().stream().map(AuditEvent::stage).toList());
    }

    @Test
    void failedAuthenticationWithoutAStatusBodyKeepsTheAttemptedMethods() throws Exception {
        Simple behaviour = new Simple();
        behaviour.statusUnauthorized = false;
        try (AuditSetup audit = setup(all(io.kubetwin.apiserver.audit.event.Level.METADATA), false);
             StubChain chain = StubChain.start(vertx, audit, behaviour)) {
            get(chain, "/api?access_token=x", "Audit-ID", "f1", "Authorization", "Bearer wrong");
            get(chain, "/api", "Audit-ID", "f2", "Authorization", "Basic YTpi");
        }
        AuditLog events = AuditLog.read(log);
        AuditEvent f1 = events.query().auditId("f1").single();
        assertEquals(Stage.RESPONSE_STARTED, f1.stage());
        assertEquals(EventUser.NONE, f1.user());
        assertEquals(new ResponseStatus("", "Authentication failed, attempted: bearer, access_token", "", null, 401),
                f1.responseStatus());
        assertEquals("Authentication failed, attempted: basic", events.query().auditId("f2").single().responseStatus().message());
    }

    @Test
    void aResponseEndedBehindAuditsBackIsStillAudited() throws Exception {
        try (AuditSetup audit = setup(all(io.kubetwin.apiserver.audit.event.Level.METADATA), false);
             StubChain chain = StubChain.start(vertx, audit, new Simple())) {
            assertEquals(202, get(chain, "/direct", "Audit-ID", "d1", "Authorization", "Bearer alice").statusCode());
            Supplier<Integer> complete = () -> AuditLog.read(log).query().auditId("d1").stage(Stage.RESPONSE_COMPLETE).count();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (complete.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(202, AuditLog.read(log).query().auditId("d1").stage(Stage.RESPONSE_COMPLETE).single().code());
        }
    }

    @Test
    void levelsDecideTheBodies() throws Exception {
        Policy policy = Policy.builder()
                .rule(AuditPolicyRule.level(io.kubetwin.apiserver.audit.event.Level.METADATA).nonResourceURLs("/m"))
                .rule(AuditPolicyRule.level(io.kubetwin.apiserver.audit.event.Level.REQUEST).nonResourceURLs("/r"))
                .rule(AuditPolicyRule.level(io.kubetwin.apiserver.audit.event.Level.REQUEST_RESPONSE)).build();
        try (AuditSetup audit = setup(policy, false); StubChain chain = StubChain.start(vertx, audit, new Simple())) {
            for (String p : List.of("/m", "/r", "/rr")) {
                get(chain, p, "Audit-ID", p, "Authorization", "Bearer alice");
            }
        }
        AuditLog events = AuditLog.read(log);
        assertEquals(null, events.query().auditId("/m").stage(Stage.RESPONSE_COMPLETE).single().responseObject());
        assertEquals(null, events.query().auditId("/r").stage(Stage.RESPONSE_COMPLETE).single().responseObject());
        assertEquals("{\"kind\":\"X\"}",
                events.query().auditId("/rr").stage(Stage.RESPONSE_COMPLETE).single().responseObject().toString());
        assertTrue(events.query().auditId("/rr").stage(Stage.REQUEST_RECEIVED).single().responseStatus() == null);
    }
}
