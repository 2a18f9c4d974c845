package io.kubetwin.scan.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The policy checker on the seed policies, and the verdicts of the starter rules under each of them. */
class CoverageAnalysisTest {
    static final List<String> PERSON = List.of("company", "system:authenticated");

    @ParameterizedTest(name = "{0}: {1} {2} {3}/{4} {5} -> {6} {7}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            metadata            | alice              | create | ''    | pods      | -        | Metadata        | 0
            alibaba             | alice              | create | ''    | pods      | -        | RequestResponse | 1
            alibaba             | alice              | get    | ''    | secrets   | -        | Metadata        | 1
            alibaba             | alice              | get    | ''    | events    | -        | None            | 1
            alibaba             | system:kube-proxy  | watch  | ''    | endpoints | -        | None            | 1
            alibaba             | alice              | -      | -     | -         | /healthz/etcd | None       | 1
            alibaba             | alice              | -      | -     | -         | /api     | Metadata        | 1
            ignore-system-users | system:anonymous   | get    | ''    | pods      | -        | Request         | 0
            admin-anonymous     | admin              | get    | ''    | pods      | -        | Request         | 1
            admin-anonymous     | admin              | get    | apps  | deployments | -      | None            | 1
            """)
    void levelAndOmittedStagesAsKubeApiserverDecides(
            String seed,
            String user,
            String verb,
            String group,
            String resource,
            String path,
            AuditLevel level,
            int omitted) {
        var policy = AuditPolicy.seed(seed);
        var groups = user.equals("system:anonymous") ? List.of("system:unauthenticated") : PERSON;
        var request = path != null
                ? RequestClass.path("p", user, groups, path)
                : RequestClass.resource("r", user, groups, verb, group, resource, "", "default");
        var decision = policy.decide(request);
        assertEquals(level, decision.level());
        assertEquals(omitted, decision.omitStages().size());
    }

    @Test
    void theIgnoreSystemUsersRuleNeedsBothAUserAndAGroupSoItNeverHitsAUserAlone() {
        var policy = AuditPolicy.seed("ignore-system-users");
        var sa = RequestClass.resource(
                "sa",
                "system:serviceaccount:default:app",
                List.of("system:serviceaccounts"),
                "get",
                "",
                "pods",
                "",
                "default");
        assertEquals(AuditLevel.Request, policy.decide(sa).level());
        var both = sa.as("both", "system:anonymous", List.of("system:nodes"));
        assertEquals(AuditLevel.None, policy.decide(both).level());
    }

    @Test
    void verdictsOfTheStarterRulesUnderTheSeedPolicies() {
        Map<String, String> expected = new LinkedHashMap<>();
        // metadata: every body rule is blind; ignore-system-users: nothing is ignored (users AND groups)
        // alibaba: configmaps at Metadata blinds the credential rule, /version and /api are not logged for anonymous
        // admin-anonymous: only the core group for two users, at Request
        expected.put("anonymous-request", "ALIVE ALIVE PARTIAL PARTIAL");
        for (var id : List.of(
                "exec-into-pod",
                "attach-to-pod",
                "port-forward",
                "secret-get",
                "secret-list",
                "rbac-clusterrolebinding-change",
                "rbac-role-change",
                "impersonation",
                "serviceaccount-token",
                "csr-approval",
                "webhook-configuration-change",
                "nodes-proxy",
                "namespace-deleted")) {
            expected.put(id, "ALIVE ALIVE ALIVE BLIND");
        }
        for (var id : List.of(
                "privileged-pod", "hostpath-pod", "host-network-pod", "untrusted-image", "clusterrole-wildcard")) {
            expected.put(id, "BLIND ALIVE ALIVE BLIND");
        }
        expected.put("configmap-with-credentials", "BLIND ALIVE BLIND BLIND");
        Map<String, String> actual = new LinkedHashMap<>();
        for (var rule : StarterRules.all()) {
            actual.put(
                    rule.id(),
                    String.join(
                            " ",
                            AuditPolicy.SEEDS.stream()
                                    .map(s -> CoverageAnalysis.coverage(AuditPolicy.seed(s), rule)
                                            .verdict()
                                            .name())
                                    .toList()));
        }
        assertEquals(20, actual.size());
        assertEquals(expected, actual);
    }

    @Test
    void costCountsTheStagesNotOmitted() {
        var watch = CoverageAnalysis.everydayTraffic().get(0);
        assertEquals(
                3, CoverageAnalysis.cost(AuditPolicy.seed("metadata"), watch).events());
        assertEquals(
                0, CoverageAnalysis.cost(AuditPolicy.seed("alibaba"), watch).events());
        var list = CoverageAnalysis.everydayTraffic().get(4);
        assertEquals(1, CoverageAnalysis.cost(AuditPolicy.seed("alibaba"), list).events());
        assertEquals(
                2,
                CoverageAnalysis.cost(AuditPolicy.seed("ignore-system-users"), list)
                        .events());
    }
}
