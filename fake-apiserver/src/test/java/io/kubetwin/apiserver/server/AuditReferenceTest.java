package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.audit.policy.ExamplePolicies;
import io.kubetwin.apiserver.testing.Golden;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole fake, over TLS, against the reference: the requests of {@link AuditScript} are sent to a fake started
 * with each policy the reference kube-apiserver v1.34.4 was recorded with (golden/audit/reference/e2e/, made by
 * src/test/scripts/audit-e2e-reference.sh), and the events of each request must be the reference's, field by
 * field and in order, once what differs between any two runs is normalised: timestamps, client-certificate
 * hashes, object uids, resourceVersions and creation times, the server's address, and managedFields (which the
 * fake's registry does not maintain).
 */
class AuditReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RUN_DEPENDENT = Set.of("uid", "resourceVersion", "creationTimestamp", "time");

    @TempDir
    Path dir;

    static Stream<String> policies() {
        return Stream.concat(
                Stream.of("policy-main", "policy-omit-stages"),
                ExamplePolicies.ALL.stream().map(n -> n.replace(".yaml", "")));
    }

    @ParameterizedTest
    @MethodSource("policies")
    void eventsAreTheReferences(String policy) throws Exception {
        Map<String, List<String>> expected = byAuditId(Golden.lines(AuditScript.GOLDEN + policy + ".log"));
        Map<String, List<String>> actual = byAuditId(runFake(policy));
        List<Executable> checks = new ArrayList<>();
        for (AuditScript.Step step : AuditScript.STEPS) {
            checks.add(() -> assertEquals(
                    String.join("\n", expected.getOrDefault(step.id(), List.of())),
                    String.join("\n", actual.getOrDefault(step.id(), List.of())),
                    policy + " " + step.id()));
        }
        checks.add(() -> assertEquals(expected.keySet(), actual.keySet(), policy + ": audited requests"));
        assertAll(policy, checks);
    }

    private List<String> runFake(String policy) throws Exception {
        Path policyFile = Files.writeString(
                dir.resolve(policy + ".yaml"),
                policy.startsWith("policy-")
                        ? Golden.text(AuditScript.GOLDEN + policy + ".yaml")
                        : ExamplePolicies.text(policy + ".yaml"));
        Path tokens = Files.writeString(dir.resolve("tokens.csv"), Golden.text(AuditScript.GOLDEN + "tokens.csv"));
        Path log = dir.resolve("audit.log");
        ApiServerConfig config = ApiServerConfig.builder()
                .tokenAuthFile(tokens)
                .auditPolicyFile(policyFile)
                .auditLogPath(log.toString())
                .build();
        try (TestApiServer server = TestApiServer.start(config)) {
            Map<String, ApiClient> clients = new LinkedHashMap<>();
            AuditScript.run(as -> clients.computeIfAbsent(as, a -> switch (a) {
                case "admin" -> server.as("admin", "system:masters");
                case "alice" -> server.as("alice");
                case "anonymous" -> server.anonymous();
                default -> server.token(a.substring("token:".length()));
            }));
        }
        return Files.readAllLines(log);
    }

    /** The script's events, normalised, grouped by audit ID in the order written. */
    private static Map<String, List<String>> byAuditId(List<String> lines) throws Exception {
        Map<String, List<String>> events = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            ObjectNode event = (ObjectNode) JSON.readTree(line);
            String id = event.path("auditID").asText();
            if (id.startsWith(AuditScript.PREFIX)) {
                events.computeIfAbsent(id, k -> new ArrayList<>()).add(JSON.writeValueAsString(normalize(event)));
            }
        }
        return events;
    }

    static ObjectNode normalize(ObjectNode event) {
        return normalize(event, true);
    }

    /** {@link #normalize(ObjectNode)}, keeping managedFields where the fake was given them ({@link ReferenceReplayTest}). */
    static ObjectNode normalize(ObjectNode event, boolean keepManagedFields) {
        event.put("requestReceivedTimestamp", "T");
        event.put("stageTimestamp", "T");
        if (event.path("user").path("extra").get("authentication.kubernetes.io/credential-id")
                instanceof ArrayNode ids) {
            ids.removeAll().add("X509SHA256=...");
        }
        for (String field : List.of("objectRef", "responseStatus", "requestObject", "responseObject")) {
            if (event.get(field) != null) {
                event.set(field, runIndependent(event.get(field), keepManagedFields));
            }
        }
        return event;
    }

    private static JsonNode runIndependent(JsonNode node, boolean keepManagedFields) {
        if (node instanceof ObjectNode o) {
            if (!keepManagedFields) {
                o.remove("managedFields");
            }
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (RUN_DEPENDENT.contains(name) && o.get(name).isTextual()) {
                    o.put(name, "<" + name + ">");
                } else if (name.equals("serverAddress")) {
                    o.put(name, "<address>");
                } else {
                    runIndependent(o.get(name), keepManagedFields);
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(item -> runIndependent(item, keepManagedFields));
        }
        return node;
    }
}
