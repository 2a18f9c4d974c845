package io.kubetwin.apiserver.audit;



import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.apiserver.audit.event.Level;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.audit.backend.BlockingBackend;
import io.kubetwin.apiserver.audit.backend.LogFormat;
import io.kubetwin.apiserver.audit.backend.LogSink;
import io.kubetwin.apiserver.audit.backend.LumberjackWriter;
import io.kubetwin.apiserver.audit.policy.ExamplePolicies;
import io.kubetwin.apiserver.audit.policy.LoadedPolicy;
import io.kubetwin.apiserver.audit.policy.Policy;
import io.kubetwin.apiserver.audit.policy.PolicyLoader;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import io.kubetwin.apiserver.attributes.UserInfo;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped example policies: each loads without warning, and a few requests through the stub chain
 * produce the events each policy promises (which stages, at which level, with which bodies).
 */
class ExamplePoliciesTest {
    static Vertx vertx;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
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

    /** X-User and X-Groups name the caller; everything is allowed; objects come back as written. */
    static final class Callers implements StubChain.Behaviour {
        @Override
        public UserInfo authenticate(RoutingContext rc) {
            String user = rc.request().getHeader("X-User");
            if (user == null) {
                return UserInfo.anonymous();
            }
            String groups = rc.request().getHeader("X-Groups");
            return new UserInfo(user, "", groups == null ? List.of() : Arrays.asList(groups.split(",")), null);
        }

        @Override
        public Status authorize(RoutingContext rc, RequestState state) {
            state.annotate("authorization.k8s.io/decision", "allow");
            state.annotate("authorization.k8s.io/reason", "");
            return null;
        }

        @Override
        public void handle(RoutingContext rc, RequestState state) {
            var object = JsonNodeFactory.instance.objectNode().put("kind", "Thing");
            if (rc.request().method().name().equals("POST") || rc.request().method().name().equals("PUT")) {
                state.requestObject(object.deepCopy().put("from", "client"));
            }
            StubChain.writeObject(rc, rc.request().method().name().equals("POST") ? 201 : 200, object);
        }
    }

    /**
     * One request through the policy: its events as {@code Stage:Level:bodies} joined by spaces, where
     * bodies is {@code -}, {@code req} or {@code req+resp}.
     */
    private String events(String policy, String method, String path, String user, String groups) throws Exception {
        Path log = dir.resolve(policy + "-" + Math.abs((method + path + user + groups).hashCode()) + ".log");
        LogSink sink = new LogSink(new LumberjackWriter(log, 1 << 30, 0, 0, false, Clock.systemUTC()), LogFormat.JSON, ZoneOffset.UTC);
        Policy p = ExamplePolicies.load(policy);
        try (AuditSetup audit = AuditSetup.of(p, new BlockingBackend(sink, false));
             StubChain chain = StubChain.start(vertx, audit, new Callers())) {
            HttpRequest.Builder b = chain.request(path).method(method, method.equals("GET") || method.equals("DELETE")
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
            if (!user.isEmpty()) {
                b.header("X-User", user);
            }
            if (!groups.isEmpty()) {
                b.header("X-Groups", groups);
            }
            chain.send(b.build());
        }
        return AuditLog.read(log).events().stream().map(e -> e.stage() + ":" + e.level() + ":"
                + (e.responseObject() != null ? "req+resp" : e.requestObject() != null ? "req" : "-"))
                .collect(Collectors.joining(" "));
    }

    @ParameterizedTest(name = "{0} {1} {2} as {3}")
    @CsvSource(delimiter = '|', value = {
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
            "alibaba-best-practice.yaml|POST|/apis/apps/v1/namespaces/default/deployments|alice||ResponseComplete:RequestResponse:req+resp",
            "alibaba-best-practice.yaml|POST|/apis/example.com/v1/namespaces/default/widgets|alice||ResponseComplete:Metadata:-",
            "admin-anonymous.yaml|POST|/api/v1/namespaces/default/pods|admin|system:masters|ResponseComplete:Request:req",
            "admin-anonymous.yaml|GET|/api/v1/namespaces/default/pods|||ResponseComplete:Request:-",
            "admin-anonymous.yaml|GET|/api/v1/namespaces/default/pods|alice|system:authenticated|",
            "admin-anonymous.yaml|GET|/apis/apps/v1/deployments|admin|system:masters|",
            "gke-profile.yaml|PUT|/api/v1/nodes/n1/status|system:node:n1|system:nodes|ResponseComplete:Request:req",
            "gke-profile.yaml|GET|/api/v1/namespaces/default/configmaps/c|alice||ResponseComplete:Metadata:-",
            "gke-profile.yaml|POST|/api/v1/namespaces/default/serviceaccounts/sa/token|alice||ResponseComplete:Metadata:-",
            "gke-profile.yaml|POST|/apis/apps/v1/namespaces/default/deployments|alice||ResponseComplete:RequestResponse:req+resp",
            "gke-profile.yaml|GET|/api/v1/namespaces/default/pods|alice||ResponseComplete:Request:-",
            "gke-profile.yaml|GET|/metrics|alice||ResponseComplete:Metadata:-"})
    void producesThePromisedEvents(String policy, String method, String path, String user, String groups,
                                   String expected) throws Exception {
        assertEquals(expected == null ? "" : expected,
                events(policy, method, path, user == null ? "" : user, groups == null ? "" : groups));
    }

    @Test
    void theSecondArticlesTypoLogsEveryonesCoreRequests() throws Exception {
        String asWritten = ExamplePolicies.text(ExamplePolicies.ADMIN_ANONYMOUS)
                .replace("  - level: Request\n    users: [\"system:anonymous\"]", "  - level: Request\n    user: [\"system:anonymous\"]");
        LoadedPolicy loaded = PolicyLoader.parse(asWritten);
        assertEquals(List.of("Audit policy contains errors, falling back to lenient decoding: strict decoding error: "
                + "unknown field \"rules[1].user\""), loaded.warnings());
        var checker = new io.kubetwin.apiserver.audit.policy.PolicyChecker(loaded.policy());
        var alice = io.kubetwin.apiserver.attributes.Attributes.resource(UserInfo.of("alice"), "get", "", "pods", "", "default", "");
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
        var checker = new io.kubetwin.apiserver.audit.policy.PolicyChecker(PolicyLoader.parse(asWritten).policy());
        var scheduler = io.kubetwin.apiserver.attributes.Attributes.resource(UserInfo.of("system:kube-scheduler"), "get", "", "pods", "", "a", "");
        assertEquals(Level.REQUEST, checker.evaluate(scheduler).level());
    }
}
