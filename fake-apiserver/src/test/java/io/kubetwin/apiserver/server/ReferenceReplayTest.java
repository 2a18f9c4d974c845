package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.event.EventUser;
import io.kubetwin.apiserver.testing.Golden;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays, in order, the requests recorded against the v1.34.4 reference (golden/audit/reference/json-events.log)
 * against the whole fake over TLS, with the reference's policy and a blocking log backend, each with the
 * credential the reference saw (a client certificate, the admin token, a bad token, none): the events must be the
 * reference's once what differs between any two runs is normalised as {@link AuditReferenceTest} does
 * (timestamps, certificate hashes, uids, resourceVersions, creation times, managedFields the fake does not
 * write). Covered: levels (RequestResponse, Metadata), RequestReceived/ResponseStarted/ResponseComplete, failed
 * authentication, watch and log (long-running), impersonation, sourceIPs with X-Forwarded-For/X-Real-Ip,
 * user-agent truncation, objectRef filled from the body, Status copies, responseObject from Status, non-resource
 * requests, and omitManagedFields.
 *
 * <p>Where the fake lacks what the reference served, the replay works around it without touching the pipeline
 * (authentication, audit, impersonation and authorization are the fake's own): pods/log (22) and apps/v1 (24) are
 * answered by a test handler behind the pipeline with the NotFound the reference's handler answered. The server-side
 * applies (18, 21) are replayed as such, and every logged object keeps its managedFields (times masked). Until this
 * replay went through a stub chain that answered as the reference did.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
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
    private static final String TOKENS =
            "admin-token,admin,uid-admin,\"system:masters\"\nbob-token,bob,uid-bob,\"dev,qa\"\n";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<String>> REFERENCE =
            byAuditId(Golden.lines("audit/reference/json-events.log"));
    /** The server-side applies. */
    private static final Set<String> APPLIED = Set.of("18-apply-omf", "21-apply-default");

    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestApiServer server = TestApiServer.builder()
            .config(b -> b.tokenAuthFile(Files.writeString(dir.resolve("tokens.csv"), TOKENS))
                    .auditPolicyFile(Files.writeString(dir.resolve("policy.yaml"), POLICY))
                    .auditLogPath(dir.resolve("audit.log").toString()))
            .build();
    /** One client per credential, as the reference's requests reused theirs. */
    private final Map<String, ApiClient> clients = new HashMap<>();

    @BeforeAll
    void handlersTheFakeDoesNotHave() {
        server.handlerRoute("/api/v1/namespaces/default/pods/nopod/log")
                .handler(rc -> rc.fail(Statuses.notFound("", "pods", "nopod")));
        server.handlerRoute("/apis/apps/v1/namespaces/default/deployments/d1/scale")
                .handler(rc -> rc.fail(Statuses.notFound("apps", "deployments", "d1")));
    }

    private static Map<String, List<String>> byAuditId(List<String> lines) {
        Map<String, List<String>> events = new LinkedHashMap<>();
        lines.forEach(l -> events.computeIfAbsent(AuditEventJson.parse(l).auditId(), k -> new ArrayList<>())
                .add(l));
        return events;
    }

    private static AuditEvent last(String auditId) {
        List<String> events = REFERENCE.get(auditId);
        return AuditEventJson.parse(events.get(events.size() - 1));
    }

    /** The credential the reference's request carried, read from the user its events name. */
    private ApiClient clientFor(EventUser user) {
        if (user.username().isEmpty()) {
            return clients.computeIfAbsent("bad token", k -> server.token("not-a-token"));
        }
        if (user.username().equals("system:anonymous")) {
            return clients.computeIfAbsent("anonymous", k -> server.anonymous());
        }
        if (!user.uid().isEmpty()) {
            return clients.computeIfAbsent("token " + user.username(), k -> server.token(user.username() + "-token"));
        }
        String[] groups = user.groups().stream()
                .filter(g -> !g.equals("system:authenticated"))
                .toArray(String[]::new);
        return clients.computeIfAbsent("x509 " + user.username(), k -> server.as(user.username(), groups));
    }

    static Stream<String> recorded() {
        // the last request let the reference generate its audit ID; it cannot be replayed as is
        return REFERENCE.keySet().stream().filter(id -> Character.isDigit(id.charAt(0)) && id.charAt(2) == '-');
    }

    @ParameterizedTest
    @MethodSource("recorded")
    void eventsAreTheReferences(String auditId) throws Exception {
        AuditEvent last = last(auditId);
        List<String> headers = new ArrayList<>(List.of(
                "Audit-ID", auditId, "User-Agent", auditId.equals("13-xff") ? "U".repeat(1030) : last.userAgent()));
        if (auditId.equals("13-xff")) {
            headers.addAll(List.of(
                    "X-Forwarded-For",
                    "8.8.8.8, bogus , 010.0.0.1,::ffff:1.2.3.4",
                    "X-Real-Ip",
                    "2001:db8:0:0:0:0:0:1"));
        }
        if (auditId.equals("14-impersonate")) {
            headers.addAll(
                    List.of("Impersonate-User", "alice", "Impersonate-Group", "g1", "Impersonate-Extra-Scopes", "s1"));
        }
        String body = last.requestObject() != null
                ? last.requestObject().toString()
                : auditId.equals("29-create-bad-json") ? "{\"apiVersion\":" : null;
        String method =
                switch (last.verb()) {
                    case "create" -> "POST";
                    case "update" -> "PUT";
                    case "patch" -> "PATCH";
                    case "delete", "deletecollection" -> "DELETE";
                    default -> "GET";
                };
        String contentType = body == null
                ? null
                : APPLIED.contains(auditId)
                        ? "application/apply-patch+yaml"
                        : method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
        clientFor(last.user()).send(method, last.requestUri(), body, contentType, headers.toArray(String[]::new));
        List<String> ours = Files.readAllLines(dir.resolve("audit.log")).stream()
                .filter(l -> l.contains("\"auditID\":\"" + auditId + "\""))
                .toList();
        assertEquals(normalize(auditId, REFERENCE.get(auditId)), normalize(auditId, ours));
    }

    private static List<String> normalize(String auditId, List<String> lines) throws Exception {
        List<String> normalized = new ArrayList<>();
        for (String line : lines) {
            ObjectNode event = AuditReferenceTest.normalize((ObjectNode) JSON.readTree(line));
            if (event.path("responseObject").get("items") instanceof ArrayNode items) {
                // the fake runs kube-controller-manager's root-ca-cert-publisher; the reference was a bare
                // kube-apiserver
                items.removeIf(i -> i.at("/metadata/name").asText().equals("kube-root-ca.crt"));
            }
            if (auditId.equals("11-alice-apis") && event.path("responseObject") instanceof ObjectNode groups) {
                // the fake serves fewer groups (DiscoveryTest compares what it serves with the reference)
                groups.remove("groups");
            }
            normalized.add(JSON.writeValueAsString(event));
        }
        return normalized;
    }
}
