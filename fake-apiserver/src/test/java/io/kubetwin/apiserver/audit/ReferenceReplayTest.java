package io.kubetwin.apiserver.audit;





import io.kubetwin.apiserver.audit.event.ResponseStatus;
import io.kubetwin.apiserver.audit.event.EventUser;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.attributes.UserInfo;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the requests recorded against the v1.34.4 reference (golden/audit/reference/json-events.log)
 * through the real audit stage in a stub chain over TLS, with the reference's policy and a blocking log
 * backend. The stub stages reproduce what the reference's other stages decided (the user, the authorization
 * annotations and decision, the Status or object written, the decoded request body); the events our audit
 * stage writes must then be the reference's, byte for byte, apart from the timestamps. Covered: levels
 * (RequestResponse, Metadata), RequestReceived/ResponseStarted/ResponseComplete, failed authentication,
 * watch and log (long-running), impersonation, sourceIPs with X-Forwarded-For/X-Real-Ip, user-agent
 * truncation, objectRef filled from the body, Status copies, responseObject from Status, raw patches,
 * non-resource requests, and omitManagedFields.
 */
class ReferenceReplayTest {
    private static final String POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: None
              users: ["system:apiserver"]
            - level: None
              nonResourceURLs: ["/readyz*"]
            - level: Metadata
              users: ["bob"]
            - level: RequestResponse
              namespaces: ["omf"]
              omitManagedFields: true
            - level: RequestResponse
            """;
    private static final Map<String, List<String>> REFERENCE = new LinkedHashMap<>();

    @TempDir
    static Path dir;
    static Vertx vertx;
    static AuditSetup audit;
    static StubChain chain;
    static Path log;

    @BeforeAll
    static void start() throws Exception {
        for (String line : Golden.lines("reference/json-events.log")) {
            REFERENCE.computeIfAbsent(AuditEventJson.parse(line).auditId(), k -> new ArrayList<>()).add(line);
        }
        vertx = Vertx.vertx();
        log = dir.resolve("audit.log");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        audit = AuditSetup.create(AuditOptions.defaults().withPolicyFile(policy)
                .withLog(AuditOptions.LogOptions.defaults().withPath(log.toString())), vertx);
        chain = StubChain.start(vertx, audit, new FromReference());
    }

    @AfterAll
    static void stop() {
        chain.close();
        audit.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static Stream<String> recorded() {
        // the last request let the reference generate its audit ID; it cannot be replayed as is
        return Golden.lines("reference/json-events.log").stream().map(l -> AuditEventJson.parse(l).auditId())
                .distinct().filter(id -> Character.isDigit(id.charAt(0)) && id.charAt(2) == '-');
    }

    @ParameterizedTest
    @MethodSource("recorded")
    void eventsAreTheReferences(String auditId) throws Exception {
        List<String> expected = REFERENCE.get(auditId);
        AuditEvent last = AuditEventJson.parse(expected.get(expected.size() - 1));
        HttpRequest.Builder req = chain.request(last.requestUri()).header("Audit-ID", auditId);
        req.header("User-Agent", auditId.equals("13-xff") ? "U".repeat(1030) : last.userAgent());
        if (auditId.equals("13-xff")) {
            req.header("X-Forwarded-For", "8.8.8.8, bogus , 010.0.0.1,::ffff:1.2.3.4").header("X-Real-Ip", "2001:db8:0:0:0:0:0:1");
        }
        if (auditId.equals("14-impersonate")) {
            req.header("Impersonate-User", "alice").header("Impersonate-Group", "g1").header("Impersonate-Extra-Scopes", "s1");
        }
        String body = last.requestObject() != null ? last.requestObject().toString()
                : auditId.equals("29-create-bad-json") ? "{\"apiVersion\":" : "";
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofString(body);
        switch (last.verb()) {
            case "create" -> req.POST(publisher).header("Content-Type", "application/json");
            case "update" -> req.PUT(publisher).header("Content-Type", "application/json");
            case "patch" -> req.method("PATCH", publisher).header("Content-Type", "application/merge-patch+json");
            case "delete", "deletecollection" -> req.DELETE();
            default -> req.GET();
        }
        chain.send(req.build());
        List<String> ours = Files.readAllLines(log).stream()
                .filter(l -> l.contains("\"auditID\":\"" + auditId + "\"")).toList();
        assertEquals(normalize(expected), normalize(ours));
    }

    private static List<String> normalize(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("\"(requestReceivedTimestamp|stageTimestamp)\":\"[^\"]*\"", "\"$1\":\"T\""))
                .toList();
    }

    /** The other stages, deciding as the reference's did. */
    private static final class FromReference implements StubChain.Behaviour {
        private static AuditEvent last(RoutingContext rc) {
            List<String> lines = REFERENCE.get(rc.request().getHeader("Audit-ID"));
            return AuditEventJson.parse(lines.get(lines.size() - 1));
        }

        @Override
        public UserInfo authenticate(RoutingContext rc) {
            EventUser u = last(rc).user();
            return u.username().isEmpty() ? null : new UserInfo(u.username(), u.uid(), u.groups(), u.extra());
        }

        @Override
        public Status authorize(RoutingContext rc, RequestState state) {
            AuditEvent ref = last(rc);
            ref.annotations().forEach(state::annotate);
            return "forbid".equals(ref.annotation("authorization.k8s.io/decision")) ? status(ref.responseStatus()) : null;
        }

        @Override
        public void handle(RoutingContext rc, RequestState state) {
            AuditEvent ref = last(rc);
            if (ref.requestObject() != null) {
                if (ref.verb().equals("patch")) {
                    state.requestPatch(ref.requestObject());
                } else {
                    state.requestObject(ref.requestObject());
                }
            }
            ResponseStatus s = ref.responseStatus();
            if (ref.verb().equals("watch")) {
                rc.response().setChunked(true).setStatusCode(200).write("\n");
                rc.vertx().setTimer(100, t -> state.end(rc, Buffer.buffer()));
            } else if ("Failure".equals(s.status())) {
                StubChain.writeStatus(rc, status(s));
            } else if (ref.responseObject() == null) {
                // a non-resource answer that kube-apiserver does not log (/version), or a plain-text 404
                rc.response().setStatusCode(s.code());
                state.end(rc, Buffer.buffer(s.code() == 404 ? "404 page not found\n" : "{}\n"));
            } else {
                StubChain.writeObject(rc, s.code(), withManagedFields(ref));
            }
        }

        private static Status status(ResponseStatus s) {
            return new Status(s.status(), s.message(), s.reason(), s.details(), s.code());
        }

        /** In namespace omf the reference logged objects without managedFields: give them some back. */
        private static JsonNode withManagedFields(AuditEvent ref) {
            JsonNode object = ref.responseObject();
            if (ref.objectRef() == null || !"omf".equals(ref.objectRef().namespace())) {
                return object;
            }
            ObjectNode copy = object.deepCopy();
            add(copy);
            copy.path("items").forEach(i -> add((ObjectNode) i));
            return copy;
        }

        private static void add(ObjectNode object) {
            if (object.get("metadata") instanceof ObjectNode meta && meta.has("uid")) {
                ArrayNode fields = meta.putArray("managedFields");
                fields.addObject().put("manager", "ref").put("operation", "Apply").put("apiVersion", "v1");
            }
        }
    }

    static JsonNode tree(String json) throws Exception {
        return GoJson.mapper().readTree(json);
    }
}
