package io.kubetwin.scan.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.scan.ScanTargets;
import io.kubetwin.scan.audit.CoverageAnalysis.Verdict;
import io.kubetwin.scenarios.model.Suite;
import io.kubetwin.scenarios.model.SuiteLoader;
import io.kubetwin.scenarios.runner.SuiteResult;
import io.kubetwin.scenarios.runner.SuiteRunner;
import io.kubetwin.scenarios.target.Target;
import io.kubetwin.scenarios.target.fake.FakeTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The coverage analysis checked on the conformance suites' own traffic: every suite is replayed through the fake
 * (the scenarios runner with {@link SuiteRunner#withAuditPolicy}) once with everything logged at RequestResponse, which
 * shows what the suite sends and which requests each starter rule is about, and once under each seed policy. For every
 * request a rule fires on in the full log, the analysis says whether the seed policy lets the rule see it; the rule
 * must fire on the seed log's events of that request exactly then, and must fire on nothing else. From that, each
 * rule's verdict on the suite (ALIVE, PARTIAL, BLIND) must be the same from the events as from the analysis.
 *
 * <p>Requests are matched across the replays by what the policy checker reads (user, groups, verb, path), so a
 * request's random audit ID or name does not matter. The control plane's own requests (the apiserver's loopback
 * client, the controller manager and the kube-system controllers' service accounts) are left out: they depend on
 * timing, not on the suite. {@link #CI_SUITES} are replayed by default, every suite with
 * {@code -Dkubetwin.suiteReplay=all}; one on whose traffic no rule fires at all is skipped after the full replay (its
 * seed replays would check nothing).
 *
 * <p>On the reference (when {@code kubetwin.targets} names it) the same replay runs for {@link #REFERENCE_SUITES}
 * only, five kube-apiserver starts per suite, to stay within about three minutes of CI; its verdicts must equal the
 * analysis' and the fake's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuiteReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SUITES =
            Path.of(System.getProperty("kubetwin.suites.dir", "../conformance/src/test/resources/suites"));
    private static final Path WORK = Path.of(System.getProperty("kubetwin.scan.dir", "target/scan"), "suite-replay");

    /**
     * The suites replayed on the reference, five starts each (about 80 s a suite): between them they exercise
     * impersonation (PARTIAL under the Alibaba policy, whose None rules drop part of it), a ClusterRoleBinding created,
     * and the four pod-body rules (BLIND at Metadata, ALIVE at Request), and they need no kubelet (the real kubelet is
     * an optional build) and no controller manager. More would push the reference's share of CI past three minutes.
     */
    static final List<String> REFERENCE_SUITES = List.of("impersonation", "pod-security");

    /** Everything at RequestResponse, no stage omitted: the replay that shows what a suite sends. */
    static final JsonNode EVERYTHING = json(
            "{\"apiVersion\":\"audit.k8s.io/v1\",\"kind\":\"Policy\",\"rules\":[{\"level\":\"RequestResponse\"}]}");

    private final List<DetectionRule> rules = StarterRules.all();
    /** suite -> its replays on the fake, so that the reference's are compared without replaying the fake again. */
    private final Map<String, Map<String, Replay>> onFake = new ConcurrentHashMap<>();
    /** seed -> rule -> verdict over every suite replayed on the fake, for the summary. */
    private final Map<String, Map<String, Replayed>> summary = new TreeMap<>();

    @TestFactory
    Stream<DynamicTest> everySuiteOnTheFake() throws Exception {
        return suites().stream()
                .map(suite -> dynamicTest(suite.name(), () -> {
                    var replays = replay(new FakeTarget(), suite);
                    onFake.put(suite.name(), replays);
                    for (var seed : AuditPolicy.SEEDS) {
                        var r = replays.get(seed);
                        System.out.printf("suite replay: %-40s %-20s %s%n", suite.name(), seed, r.verdicts());
                        r.perRule()
                                .forEach((rule, verdicts) -> summary.computeIfAbsent(seed, s -> new TreeMap<>())
                                        .merge(rule, verdicts, Replayed::plus));
                    }
                    assertAgree(suite.name() + " on the fake", replays);
                }));
    }

    @TestFactory
    Stream<DynamicTest> referenceSuites() throws Exception {
        var all = suites();
        return REFERENCE_SUITES.stream()
                .map(name -> dynamicTest(name, () -> {
                    var reference = ScanTargets.referenceOrSkip();
                    var suite = all.stream().filter(s -> s.name().equals(name)).findFirst();
                    Assumptions.assumeTrue(suite.isPresent(), "not among kubetwin.suites");
                    var onReference = replay(reference, suite.get());
                    assertAgree(name + " on the reference", onReference);
                    var fake = onFake.containsKey(name) ? onFake.get(name) : replay(new FakeTarget(), suite.get());
                    for (var seed : AuditPolicy.SEEDS) {
                        assertEquals(
                                fake.get(seed).verdicts(),
                                onReference.get(seed).verdicts(),
                                name + ", " + seed + ": per-rule verdicts, fake (expected) against the reference");
                    }
                }));
    }

    /**
     * The suites replayed on the fake by default ({@code -Dkubetwin.suiteReplay=all} replays every suite, about five
     * times the conformance run's own time): those whose traffic reaches the rules the suites exercise at all
     * (anonymous requests, impersonation, RBAC changes, Secrets, service-account tokens, pods' bodies and images), so
     * CI keeps a few minutes for this test.
     */
    static final List<String> CI_SUITES = List.of(
            "impersonation",
            "pod-security",
            "rbac-escalation-prevention",
            "seed2-anonymous-forbidden",
            "seed2-docker-registry-secret",
            "serviceaccount-tokens",
            "seed2-admission-webhook");

    /**
     * Those {@code kubetwin.suites} names (comma-separated, {@code *} wildcards), else every conformance suite with
     * {@code kubetwin.suiteReplay=all}, else {@link #CI_SUITES}.
     */
    private static List<Suite> suites() throws Exception {
        var named = System.getProperty("kubetwin.suites", "");
        var filter = named.isBlank() && !"all".equals(System.getProperty("kubetwin.suiteReplay", "ci"))
                ? String.join(",", CI_SUITES)
                : named;
        return new SuiteLoader()
                .loadAll(SUITES).stream()
                        .filter(s -> filter.isBlank()
                                || Stream.of(filter.split(","))
                                        .anyMatch(f -> s.name().matches(f.trim().replace("*", ".*"))))
                        .toList();
    }

    /** The request-by-request differences between the analysis and the events, per seed; none may be left. */
    private static void assertAgree(String what, Map<String, Replay> replays) {
        var differences = new TreeSet<String>();
        replays.forEach((seed, r) -> r.differences().forEach(d -> differences.add(seed + ": " + d)));
        assertEquals(new TreeSet<String>(), differences, what);
        replays.forEach((seed, r) ->
                assertEquals(r.expectedVerdicts(), r.verdicts(), what + ", " + seed + ": per-rule verdicts"));
    }

    /** A suite on a target under the full policy, then under each seed policy. */
    private Map<String, Replay> replay(Target target, Suite suite) throws Exception {
        var full = run(target, suite, "everything", EVERYTHING);
        Assumptions.assumeTrue(full.setupError() == null, () -> suite.name() + ": " + full.setupError());
        Assumptions.assumeFalse(
                full.auditLog().isEmpty(),
                () -> suite.name() + " wrote no events on " + target.name() + ": " + full.description());
        var fullFiring = firing(full.auditLog());
        // a less detailed policy cannot make a rule fire that the full log does not: nothing to verify here
        Assumptions.assumeFalse(
                fullFiring.isEmpty(),
                () -> "no starter rule fires on " + suite.name() + "'s traffic; the seed replays would check nothing");
        var out = new TreeMap<String, Replay>();
        for (var seed : AuditPolicy.SEEDS) {
            var policy = AuditPolicy.seed(seed);
            JsonNode policyJson;
            try (var in = AuditPolicy.class.getResourceAsStream("policies/" + seed + ".yaml")) {
                policyJson = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(in);
            }
            var result = run(target, suite, seed, policyJson);
            assertEquals(null, result.setupError(), suite.name() + " under " + seed);
            out.put(seed, compare(policy, fullFiring, firing(result.auditLog()), full.auditLog()));
        }
        return out;
    }

    private static SuiteResult run(Target target, Suite suite, String policyName, JsonNode policy) throws Exception {
        var dir = WORK.resolve(target.name() + "-" + policyName);
        Files.createDirectories(dir);
        var result = new SuiteRunner(dir).withAuditPolicy(policy).run(suite, target);
        System.out.printf(
                "suite replay: %-40s %-10s %-20s %6.1f s, %d events%n",
                suite.name(),
                target.name(),
                policyName,
                result.millis() / 1000.0,
                result.auditLog().size());
        return result;
    }

    /** rule id -> the requests (keys) whose ResponseComplete event makes it fire. */
    private Map<String, TreeSet<String>> firing(List<JsonNode> log) {
        var out = new TreeMap<String, TreeSet<String>>();
        for (var event : log) {
            if (controlPlane(event)) {
                continue;
            }
            for (var rule : rules) {
                if (rule.firesOn(event)) {
                    out.computeIfAbsent(rule.id(), r -> new TreeSet<>()).add(key(event));
                }
            }
        }
        return out;
    }

    /** What the policy checker reads of a request: its user, groups, verb and path. */
    private static String key(JsonNode event) {
        return RequestClass.of(event).label() + " " + event.path("user").path("groups");
    }

    private static boolean controlPlane(JsonNode event) {
        var user = event.path("user").path("username").asText();
        return user.equals("system:apiserver")
                || user.equals("system:kube-controller-manager")
                || user.startsWith("system:serviceaccount:kube-system:");
    }

    private Replay compare(
            AuditPolicy policy,
            Map<String, TreeSet<String>> full,
            Map<String, TreeSet<String>> seen,
            List<JsonNode> fullLog) {
        var requests = new TreeMap<String, RequestClass>();
        for (var event : fullLog) {
            requests.putIfAbsent(key(event), RequestClass.of(event));
        }
        var differences = new ArrayList<String>();
        var expected = new TreeMap<String, Verdict>();
        var actual = new TreeMap<String, Verdict>();
        var perRule = new TreeMap<String, Replayed>();
        for (var rule : rules) {
            var about = full.getOrDefault(rule.id(), new TreeSet<>());
            var fired = seen.getOrDefault(rule.id(), new TreeSet<>());
            for (var key : fired) {
                if (!about.contains(key)) {
                    differences.add(rule.id() + ": fired on " + key + ", which the full log does not make it fire on");
                }
            }
            if (about.isEmpty()) {
                continue;
            }
            int predicted = 0, observed = 0;
            for (var key : about) {
                var why = CoverageAnalysis.blindness(policy, rule, requests.get(key));
                boolean sees = why == null;
                predicted += sees ? 1 : 0;
                observed += fired.contains(key) ? 1 : 0;
                if (sees != fired.contains(key)) {
                    differences.add(rule.id() + ": " + key + " analysis=" + (sees ? "seen" : "blind (" + why + ")")
                            + " events=" + (fired.contains(key) ? "fired" : "silent"));
                }
            }
            expected.put(rule.id(), verdict(predicted, about.size()));
            actual.put(rule.id(), verdict(observed, about.size()));
            perRule.put(rule.id(), new Replayed(observed, about.size()));
        }
        return new Replay(differences, expected, actual, perRule);
    }

    private static Verdict verdict(int seen, int of) {
        return seen == of ? Verdict.ALIVE : seen == 0 ? Verdict.BLIND : Verdict.PARTIAL;
    }

    /** One suite under one seed policy: differences, and the per-rule verdicts from the analysis and the events. */
    record Replay(
            List<String> differences,
            Map<String, Verdict> expectedVerdicts,
            Map<String, Verdict> verdicts,
            Map<String, Replayed> perRule) {}

    /** Of the requests a rule is about, how many its events showed. */
    record Replayed(int seen, int of) {
        Replayed plus(Replayed other) {
            return new Replayed(seen + other.seen, of + other.of);
        }
    }

    /** The verdicts over every suite, as a table in {@code target/scan/suite-replay/verdicts.md}. */
    @AfterAll
    void writeSummary() throws Exception {
        if (summary.isEmpty()) {
            return;
        }
        var md = new StringBuilder("# Starter rules on the conformance suites' traffic (fake)\n\n| rule |");
        summary.keySet().forEach(seed -> md.append(' ').append(seed).append(" |"));
        md.append("\n|---|");
        summary.keySet().forEach(seed -> md.append("---|"));
        md.append('\n');
        for (var rule : rules) {
            md.append("| ").append(rule.id()).append(" |");
            for (var seed : summary.keySet()) {
                var r = summary.get(seed).get(rule.id());
                md.append(' ')
                        .append(r == null ? "not exercised" : verdict(r.seen(), r.of()) + " " + r.seen() + "/" + r.of())
                        .append(" |");
            }
            md.append('\n');
        }
        Files.createDirectories(WORK);
        Files.writeString(WORK.resolve("verdicts.md"), md);
        System.out.print(md);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
