package io.kubetwin.scan.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.KeyType;
import io.kubetwin.scan.ScanTargets;
import io.kubetwin.scenarios.model.ServerConfig;
import io.kubetwin.scenarios.target.ClusterSpec;
import io.kubetwin.scenarios.target.Target;
import io.kubetwin.scenarios.target.fake.FakeTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coverage analysis checked on events actually written: the fake runs with each seed policy, every request each
 * starter rule watches is sent by its requester (with the rights to get past authorization, so that bodies are
 * decoded), and each rule is evaluated on the events of the log. A watched request the analysis calls seen must make
 * its rule fire, and one it calls blind must not. The same replay against the real kube-apiserver (when
 * {@code kubetwin.targets} names the reference, as for {@code ScanPostureTest}) must give the same verdicts.
 */
class CoverageReplayTest {
    private static final String FIRED = "fired";
    private static final String SILENT = "silent";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"metadata", "ignore-system-users", "alibaba", "admin-anonymous"})
    void theRulesFireExactlyWhereTheAnalysisSaysTheyCanSee(String seed) throws Exception {
        assertEquals(new TreeSet<String>(), differences(analysis(seed), replay(new FakeTarget(), seed)), seed);
    }

    /** One reference start per policy; the fake is replayed beside it, so the two verdicts are compared directly. */
    @ParameterizedTest
    @ValueSource(strings = {"metadata", "ignore-system-users", "alibaba", "admin-anonymous"})
    void theReferenceGivesTheSameVerdicts(String seed) throws Exception {
        var reference = ScanTargets.referenceOrSkip();
        var onReference = replay(reference, seed);
        assertEquals(new TreeSet<String>(), differences(analysis(seed), onReference), "reference, " + seed);
        assertEquals(
                new TreeSet<String>(),
                differences(replay(new FakeTarget(), seed), onReference),
                "fake against reference, " + seed);
    }

    /** What the analysis says of each watched request: fired where the policy lets the rule see it. */
    private static Map<String, String> analysis(String seed) {
        var policy = AuditPolicy.seed(seed);
        var verdicts = new TreeMap<String, String>();
        for (var rule : StarterRules.all()) {
            for (var request : rule.watches()) {
                verdicts.put(
                        key(rule, request), CoverageAnalysis.blindness(policy, rule, request) == null ? FIRED : SILENT);
            }
        }
        return verdicts;
    }

    /** Each watched request where expected and actual differ, as {@code rule: request expected=.. actual=..}. */
    private static TreeSet<String> differences(Map<String, String> expected, Map<String, String> actual) {
        var out = new TreeSet<String>();
        expected.forEach((key, verdict) -> {
            if (!verdict.equals(actual.get(key))) {
                out.add(key + " expected=" + verdict + " actual=" + actual.get(key));
            }
        });
        return out;
    }

    private static String key(DetectionRule rule, RequestClass request) {
        return rule.id() + ": " + request.label();
    }

    /** Starts {@code target} with the seed policy, sends every watched request and says which rules fired on each. */
    private Map<String, String> replay(Target target, String seed) throws Exception {
        JsonNode policyJson;
        try (var in = AuditPolicy.class.getResourceAsStream("policies/" + seed + ".yaml")) {
            policyJson = new YAMLMapper().readTree(in);
        }
        var spec = new ClusterSpec(
                "coverage-" + seed, ServerConfig.DEFAULT, policyJson, dir.resolve(target.name() + "-" + seed));
        try (var cluster = target.start(spec)) {
            var admin = ApiClient.of(cluster.admin());
            var ca = cluster.clientCa().orElseThrow();
            var server = admin.server();
            var caCert = ca.certificate();
            // every authenticated requester may do everything, so that each request reaches its handler
            for (var subject : List.of(
                    "{\"kind\":\"User\",\"name\":\"alice\"}",
                    "{\"kind\":\"User\",\"name\":\"system:node:node-1\"}",
                    "{\"kind\":\"ServiceAccount\",\"name\":\"app\",\"namespace\":\"default\"}")) {
                var name = "coverage-" + Math.abs(subject.hashCode());
                assertEquals(
                        201,
                        admin.post(
                                        "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                                        "{\"metadata\":{\"name\":\"" + name
                                                + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                                                + "\"kind\":\"ClusterRole\",\"name\":\"cluster-admin\"},\"subjects\":["
                                                + subject + "]}")
                                .code());
            }
            assertEquals(
                    201,
                    admin.post("/api/v1/namespaces/default/serviceaccounts", "{\"metadata\":{\"name\":\"app\"}}")
                            .code());
            var token = admin.post(
                            "/api/v1/namespaces/default/serviceaccounts/app/token",
                            "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}")
                    .json()
                    .path("status")
                    .path("token")
                    .asText();
            Map<String, ApiClient> as = new LinkedHashMap<>();
            as.put(StarterRules.PERSON.user(), cert(server, ca, "alice", "company"));
            as.put(StarterRules.NODE.user(), cert(server, ca, "system:node:node-1", "system:nodes"));
            as.put(StarterRules.SERVICE_ACCOUNT.user(), ApiClient.withToken(server, caCert, token));
            as.put(StarterRules.ANONYMOUS.user(), ApiClient.anonymous(server, caCert));

            long mark = cluster.auditLog().mark();
            var rules = StarterRules.all();
            for (var rule : rules) {
                for (var request : rule.watches()) {
                    send(as.get(request.user()), rule, request);
                }
            }
            var events = waitForEvents(cluster.auditLog(), mark);

            var verdicts = new TreeMap<String, String>();
            for (var rule : rules) {
                for (var request : rule.watches()) {
                    boolean fired = events.stream().anyMatch(e -> sentAs(e, request) && rule.firesOn(e));
                    verdicts.put(key(rule, request), fired ? FIRED : SILENT);
                }
            }
            return verdicts;
        }
    }

    private static ApiClient cert(String server, io.kubetwin.pki.CertificateAuthority ca, String user, String group) {
        var credential = ca.issue(CertificateSpec.client(user)
                .organizations(group)
                .keyType(KeyType.EC_P256)
                .build());
        return ApiClient.withCertificate(server, ca.certificate(), credential.certificate(), credential.privateKey());
    }

    /** The event of a request of this class: same user, and the same path or resource, subresource and verb. */
    private static boolean sentAs(JsonNode e, RequestClass r) {
        if (!r.user().equals(e.path("user").path("username").asText())) {
            return false;
        }
        if (!r.resourceRequest()) {
            return r.path().equals(e.path("requestURI").asText());
        }
        var ref = e.path("objectRef");
        return r.verb().equals(e.path("verb").asText())
                && r.resource().equals(ref.path("resource").asText())
                && r.subresource().equals(ref.path("subresource").asText(""));
    }

    /** One request of the class, with what the rule's condition looks for (a body, an impersonation header). */
    private static void send(ApiClient client, DetectionRule rule, RequestClass r) {
        if (!r.resourceRequest()) {
            client.get(r.path());
            return;
        }
        String base = (r.group().isEmpty() ? "/api/v1" : "/apis/" + r.group() + "/v1")
                + (r.namespace().isEmpty() ? "" : "/namespaces/" + r.namespace()) + "/" + r.resource();
        switch (rule.id()) {
            case "impersonation" -> client.header("Impersonate-User", "bob").get(base + "/web");
            case "privileged-pod", "hostpath-pod", "host-network-pod", "untrusted-image" ->
                client.post(
                        base + "?dryRun=All",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"bad\"},\"spec\":{\"hostNetwork\":true,"
                                + "\"volumes\":[{\"name\":\"root\",\"hostPath\":{\"path\":\"/\"}}],\"containers\":[{\"name\":\"c\","
                                + "\"image\":\"evil.example.com/miner\",\"securityContext\":{\"privileged\":true}}]}}");
            case "configmap-with-credentials" ->
                client.post(
                        base + "?dryRun=All",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"db\"},\"data\":{\"password\":\"hunter2\"}}");
            case "clusterrole-wildcard" ->
                client.post(
                        base + "?dryRun=All",
                        "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"all\"},"
                                + "\"rules\":[{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]}]}");
            default -> {
                String named = base + "/" + (r.resource().equals("nodes") ? "node-1" : "web")
                        + (r.subresource().isEmpty() ? "" : "/" + r.subresource());
                switch (r.verb()) {
                    case "get" -> client.get(named);
                    case "list" -> client.get(base);
                    case "update" -> client.put(named, "{}");
                    case "delete" -> client.delete(named);
                    default ->
                        client.post(
                                r.subresource().isEmpty() ? base + "?dryRun=All" : named,
                                r.subresource().isEmpty() ? "{\"metadata\":{\"name\":\"x\"}}" : "{}");
                }
            }
        }
    }

    /** The log is written as requests complete; wait until it stops growing. */
    private static List<JsonNode> waitForEvents(io.kubetwin.scenarios.target.ClusterAuditLog log, long mark)
            throws InterruptedException {
        var events = new ArrayList<JsonNode>(log.since(mark));
        for (int i = 0; i < 20; i++) {
            Thread.sleep(250);
            var now = log.since(mark);
            if (now.size() == events.size()) {
                break;
            }
            events = new ArrayList<>(now);
        }
        assertTrue(log.readable());
        return events;
    }
}
