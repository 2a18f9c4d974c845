package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.testing.Golden;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.event.EventUser;
import io.kubetwin.apiserver.testing.ApiClient;
import io.kubetwin.apiserver.testing.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays, in order, the requests recorded against the v1.34.4 reference (golden/audit/reference/json-events.log)
 * against the whole fake over TLS, with the reference's policy and a blocking log backend, each with the
 * credential the reference saw (a client certificate, the admin token, a bad token, none): the events must be the
 * reference's once what differs between any two runs is normalised as {@link AuditReferenceTest} does
 * (timestamps, certificate hashes, uids, resourceVersions, creation times, managedFields). Covered: levels
 * (RequestResponse, Metadata), RequestReceived/ResponseStarted/ResponseComplete, failed authentication,
 * watch and log (long-running), impersonation, sourceIPs with X-Forwarded-For/X-Real-Ip, user-agent
 * truncation, objectRef filled from the body, Status copies, responseObject from Status, non-resource requests.
 *
 * <p>Until this replay went through a stub chain that reproduced the reference's decisions, so it also compared
 * uids and certificate hashes byte for byte and checked omitManagedFields on objects given managedFields by hand;
 * the fake keeps no managedFields, and the steps it cannot reproduce ({@link #NOT_REPRODUCED}) are reported as
 * skipped with the reason.
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

    /**
     * The recorded steps whose events the fake cannot reproduce, with the reason: what the stub chain used to hide
     * by answering as the reference did.
     */
    private static final Map<String, String> NOT_REPRODUCED = Map.of(
            "04-list", "the fake runs kube-controller-manager's root-ca-cert-publisher (kube-root-ca.crt is listed); "
                    + "the reference was a bare kube-apiserver",
            "11-alice-apis", "the fake's /apis lists the groups it serves, not the reference's",
            "18-apply-omf", "the fake answers server-side apply with 415",
            "19-get-omf", "reads what server-side apply created (18)",
            "20-list-omf", "reads what server-side apply created (18)",
            "21-apply-default", "the fake answers server-side apply with 415",
            "22-log-subresource", "the fake does not serve pods/log",
            "24-token-admin", "the fake does not serve apps/v1",
            "30-empty-auditid", "reads what server-side apply created (21)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TestApiServer server;
    static Path log;
    /** One client per credential, as the reference's requests reused theirs. */
    static final Map<String, ApiClient> CLIENTS = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        for (String line : Golden.lines("audit/reference/json-events.log")) {
            REFERENCE.computeIfAbsent(AuditEventJson.parse(line).auditId(), k -> new ArrayList<>()).add(line);
        }
        log = dir.resolve("audit.log");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), POLICY);
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), "admin-token,admin,uid-admin,\"system:masters\"\nbob-token,bob,uid-bob,\"dev,qa\"\n");
        server = TestApiServer.start(b -> b.tokenAuthFile(tokens).auditPolicyFile(policy).auditLogPath(log.toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The credential the reference's request carried, read from the user its events name. */
    private static ApiClient clientFor(EventUser user) {
        if (user.username().isEmpty()) {
            return CLIENTS.computeIfAbsent("bad token", k -> server.token("not-a-token"));
        }
        if (user.username().equals("system:anonymous")) {
            return CLIENTS.computeIfAbsent("anonymous", k -> server.anonymous());
        }
        if (!user.uid().isEmpty()) {
            return CLIENTS.computeIfAbsent("token " + user.username(), k -> server.token(user.username() + "-token"));
        }
        String[] groups = user.groups().stream().filter(g -> !g.equals("system:authenticated")).toArray(String[]::new);
        return CLIENTS.computeIfAbsent("x509 " + user.username(), k -> server.as(user.username(), groups));
    }

    static Stream<String> recorded() {
        // the last request let the reference generate its audit ID; it cannot be replayed as is
        return Golden.lines("audit/reference/json-events.log").stream().map(l -> AuditEventJson.parse(l).auditId())
                .distinct().filter(id -> Character.isDigit(id.charAt(0)) && id.charAt(2) == '-');
    }

    @ParameterizedTest
    @MethodSource("recorded")
    void eventsAreTheReferences(String auditId) throws Exception {
        List<String> expected = REFERENCE.get(auditId);
        AuditEvent last = AuditEventJson.parse(expected.get(expected.size() - 1));
        Assumptions.assumeFalse(NOT_REPRODUCED.containsKey(auditId), () -> NOT_REPRODUCED.get(auditId));
        List<String> headers = new ArrayList<>(List.of("Audit-ID", auditId,
                "User-Agent", auditId.equals("13-xff") ? "U".repeat(1030) : last.userAgent()));
        if (auditId.equals("13-xff")) {
            headers.addAll(List.of("X-Forwarded-For", "8.8.8.8, bogus , 010.0.0.1,::ffff:1.2.3.4", "X-Real-Ip", "2001:db8:0:0:0:0:0:1"));
        }
        if (auditId.equals("14-impersonate")) {
            headers.addAll(List.of("Impersonate-User", "alice", "Impersonate-Group", "g1", "Impersonate-Extra-Scopes", "s1"));
        }
        String body = last.requestObject() != null ? last.requestObject().toString()
                : auditId.equals("29-create-bad-json") ? "{\"apiVersion\":" : null;
        String method = switch (last.verb()) {
            case "create" -> "POST";
            case "update" -> "PUT";
            case "patch" -> "PATCH";
            case "delete", "deletecollection" -> "DELETE";
            default -> "GET";
        };
        String contentType = body == null ? null : method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
        clientFor(last.user()).send(method, last.requestUri(), body, contentType, headers.toArray(String[]::new));
        List<String> ours = Files.readAllLines(log).stream()
                .filter(l -> l.contains("\"auditID\":\"" + auditId + "\"")).toList();
        assertEquals(normalize(expected), normalize(ours));
    }

    private static List<String> normalize(List<String> lines) throws Exception {
        List<String> normalized = new ArrayList<>();
        for (String line : lines) {
            normalized.add(JSON.writeValueAsString(AuditReferenceTest.normalize((ObjectNode) JSON.readTree(line))));
        }
        return normalized;
    }
}
