package io.kubetwin.apiserver.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.policy.ExamplePolicies;
import io.kubetwin.apiserver.audit.policy.LoadedPolicy;
import io.kubetwin.apiserver.audit.policy.PolicyChecker;
import io.kubetwin.apiserver.audit.policy.PolicyLoader;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.client.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped example policies: each loads without warning, and a few requests through the whole server (one
 * per policy, AlwaysAllow, the caller a client certificate with CN = user and one O per group, or anonymous)
 * produce the events each policy promises (which stages, at which level, with which bodies).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplePoliciesTest {
    @TempDir
    static Path dir;
    /** One server per policy, for the whole class (a lifecycle the fixture's extension form does not have). */
    private final Map<String, TestApiServer> servers = new LinkedHashMap<>();

    @BeforeAll
    void start() throws Exception {
        for (String policy : ExamplePolicies.ALL) {
            Path file = Files.writeString(dir.resolve(policy), ExamplePolicies.text(policy));
            servers.put(
                    policy,
                    TestApiServer.start(b -> b.authorizationModes(List.of("AlwaysAllow"))
                            .auditPolicyFile(file)
                            .auditLogPath(log(policy).toString())));
        }
    }

    @AfterAll
    void stop() {
        servers.values().forEach(TestApiServer::close);
    }

    private static Path log(String policy) {
        return dir.resolve(policy + ".log");
    }

    static Stream<String> names() {
        return ExamplePolicies.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("names")
    void loadsWithoutWarning(String name) throws Exception {
        LoadedPolicy loaded = PolicyLoader.parse(ExamplePolicies.text(name));
        assertEquals(List.of(), loaded.warnings());
    }

    /**
     * One request through the policy: its events as {@code Stage:Level:bodies} joined by spaces, where
     * bodies is {@code -}, {@code req} or {@code req+resp}.
     */
    private String events(String policy, String method, String path, String user, String groups) throws Exception {
        TestApiServer server = servers.get(policy);
        ApiClient client = user.isEmpty()
                ? server.anonymous()
                : server.as(user, groups.isEmpty() ? new String[0] : groups.split(","));
        String auditId = UUID.randomUUID().toString();
        client.send(
                method,
                path,
                method.equals("GET") || method.equals("DELETE") ? null : "{}",
                method.equals("GET") || method.equals("DELETE") ? null : "application/json",
                "Audit-ID",
                auditId);
        return AuditLog.read(log(policy)).query().auditId(auditId).list().stream()
                .map(e -> e.stage() + ":" + e.level() + ":"
                        + (e.responseObject() != null ? "req+resp" : e.requestObject() != null ? "req" : "-"))
                .collect(Collectors.joining(" "));
    }

    @ParameterizedTest(name = "{0} {1} {2} as {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // policy | method | path | user | groups | events
                "metadata.yaml|POST|/api/v1/namespaces/default/secrets|alice|system:authenticated|RequestReceived:Metadata:- ResponseComplete:Metadata:-",
                "metadata.yaml|GET|/healthz|||RequestReceived:Metadata:- ResponseComplete:Metadata:-",
                "ignore-system-users.yaml|GET|/api/v1/nodes/n1|system:node:n1|system:nodes,system:authenticated|",
                "ignore-system-users.yaml|GET|/api/v1/namespaces/kube-system/pods|system:serviceaccount:kube-system:x|system:serviceaccounts,system:authenticated|",
                "ignore-system-users.yaml|GET|/version|||",
                "ignore-system-users.yaml|PUT|/api/v1/namespaces/kube-system/endpoints/e|system:kube-scheduler||",
                "ignore-system-users.yaml|POST|/api/v1/namespaces/default/configmaps|alice|system:authenticated|RequestReceived:Request:- ResponseComplete:Request:req",
                "alibaba-best-practice.yaml|GET|/api/v1/nodes/n1|system:node:n1|system:nodes|",
                "alibaba-best-practice.yaml|GET|/healthz/etcd|||",
                "alibaba-best-practice.yaml|POST|/api/v1/namespaces/default/events|alice||",
                "alibaba-best-practice.yaml|POST|/api/v1/namespaces/default/secrets|alice||ResponseComplete:Metadata:-",
                "alibaba-best-practice.yaml|GET|/apis/apps/v1/namespaces/default/deployments|alice||ResponseComplete:Request:-",
                // the fake does not serve apps/v1 (404 page not found, no body decoded): a write to another group of
                // the rule
                "alibaba-best-practice.yaml|POST|/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles|alice||ResponseComplete:RequestResponse:req+resp",
                "alibaba-best-practice.yaml|POST|/apis/example.com/v1/namespaces/default/widgets|alice||ResponseComplete:Metadata:-",
                "admin-anonymous.yaml|POST|/api/v1/namespaces/default/pods|admin|system:masters|ResponseComplete:Request:req",
                "admin-anonymous.yaml|GET|/api/v1/namespaces/default/pods|||ResponseComplete:Request:-",
                "admin-anonymous.yaml|GET|/api/v1/namespaces/default/pods|alice|system:authenticated|",
                "admin-anonymous.yaml|GET|/apis/apps/v1/deployments|admin|system:masters|",
                "gke-profile.yaml|PUT|/api/v1/nodes/n1/status|system:node:n1|system:nodes|ResponseComplete:Request:req",
                "gke-profile.yaml|GET|/api/v1/namespaces/default/configmaps/c|alice||ResponseComplete:Metadata:-",
                "gke-profile.yaml|POST|/api/v1/namespaces/default/serviceaccounts/sa/token|alice||ResponseComplete:Metadata:-",
                "gke-profile.yaml|POST|/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles|alice||ResponseComplete:RequestResponse:req+resp",
                "gke-profile.yaml|GET|/api/v1/namespaces/default/pods|alice||ResponseComplete:Request:-",
                "gke-profile.yaml|GET|/metrics|alice||ResponseComplete:Metadata:-"
            })
    void producesThePromisedEvents(
            String policy, String method, String path, String user, String groups, String expected) throws Exception {
        assertEquals(
                expected == null ? "" : expected,
                events(policy, method, path, user == null ? "" : user, groups == null ? "" : groups));
    }

    @Test
    void theSecondArticlesTypoLogsEveryonesCoreRequests() throws Exception {
        String asWritten = ExamplePolicies.text(ExamplePolicies.ADMIN_ANONYMOUS)
                .replace(
                        "  - level: Request\n    users: [\"system:anonymous\"]",
                        "  - level: Request\n    user: [\"system:anonymous\"]");
        LoadedPolicy loaded = PolicyLoader.parse(asWritten);
        assertEquals(
                List.of("Audit policy contains errors, falling back to lenient decoding: strict decoding error: "
                        + "unknown field \"rules[1].user\""),
                loaded.warnings());
        var checker = new PolicyChecker(loaded.policy());
        var alice = Attributes.resource(UserInfo.of("alice"), "get", "", "pods", "", "default", "");
        assertEquals(Level.REQUEST, checker.evaluate(alice).level());
    }

    @Test
    void theFirstArticlesSingleRuleNeedsBothUserAndGroup() throws Exception {
        String asWritten = """
                apiVersion: audit.k8s.io/v1
                kind: Policy
                rules:
                - level: None
                  userGroups: ["system:serviceaccounts", "system:nodes"]
                  users: ["system:anonymous", "system:apiserver", "system:kube-controller-manager", "system:kube-scheduler"]
                - level: Request
                """;
        var checker = new PolicyChecker(PolicyLoader.parse(asWritten).policy());
        var scheduler = Attributes.resource(UserInfo.of("system:kube-scheduler"), "get", "", "pods", "", "a", "");
        assertEquals(Level.REQUEST, checker.evaluate(scheduler).level());
    }
}
