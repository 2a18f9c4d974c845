package io.kubetwin.scan.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Which detection rules stay alive under an audit policy: for every request a rule watches, the level the policy
 * gives it must carry the fields the rule reads, and the ResponseComplete stage must not be omitted. And what the
 * policy costs: events per request of each kind.
 */
public final class CoverageAnalysis {
    private CoverageAnalysis() {}

    /** ALIVE: every watched request is seen; PARTIAL: some are not; BLIND: none is. */
    public enum Verdict {
        ALIVE,
        PARTIAL,
        BLIND
    }

    /** One rule under one policy: the verdict, and which watched requests it cannot see and why. */
    public record RuleCoverage(DetectionRule rule, Verdict verdict, List<String> blindFor) {}

    /** Events per request of one kind. */
    public record Cost(RequestClass request, AuditLevel level, int events) {}

    /** Whether the policy logs {@code request} well enough for {@code rule}; the reason when it does not. */
    public static String blindness(AuditPolicy policy, DetectionRule rule, RequestClass request) {
        var decision = policy.decide(request);
        if (decision.level() == AuditLevel.None) {
            return "level None";
        }
        if (decision.omitStages().contains(AuditPolicy.Stage.ResponseComplete)) {
            return "ResponseComplete omitted";
        }
        if (!decision.level().covers(rule.needs())) {
            return "level " + decision.level() + " < " + rule.needs();
        }
        if (!request.resourceRequest() && rule.needs().covers(AuditLevel.Request)) {
            return "non-resource requests have no bodies";
        }
        return null;
    }

    public static RuleCoverage coverage(AuditPolicy policy, DetectionRule rule) {
        var blind = new ArrayList<String>();
        for (var request : rule.watches()) {
            var why = blindness(policy, rule, request);
            if (why != null) {
                blind.add(request.label() + " (" + why + ")");
            }
        }
        var verdict = blind.isEmpty()
                ? Verdict.ALIVE
                : blind.size() == rule.watches().size() ? Verdict.BLIND : Verdict.PARTIAL;
        return new RuleCoverage(rule, verdict, blind);
    }

    public static List<RuleCoverage> coverage(AuditPolicy policy, List<DetectionRule> rules) {
        return rules.stream().map(r -> coverage(policy, r)).toList();
    }

    /**
     * Events one request writes: RequestReceived and ResponseComplete (and ResponseStarted for a watch, a long-running
     * request) unless omitted; none at level None.
     */
    public static Cost cost(AuditPolicy policy, RequestClass request) {
        var decision = policy.decide(request);
        if (decision.level() == AuditLevel.None) {
            return new Cost(request, AuditLevel.None, 0);
        }
        int events = 0;
        for (var stage : List.of(
                AuditPolicy.Stage.RequestReceived,
                AuditPolicy.Stage.ResponseStarted,
                AuditPolicy.Stage.ResponseComplete)) {
            if (stage == AuditPolicy.Stage.ResponseStarted && !"watch".equals(request.verb())) {
                continue;
            }
            if (!decision.omitStages().contains(stage)) {
                events++;
            }
        }
        return new Cost(request, decision.level(), events);
    }

    /** Everyday traffic of a cluster, besides the rules' own requests, for the cost table. */
    public static List<RequestClass> everydayTraffic() {
        var kubeProxy = List.of("system:authenticated");
        return List.of(
                RequestClass.resource(
                        "kube-proxy watches endpoints",
                        "system:kube-proxy",
                        kubeProxy,
                        "watch",
                        "",
                        "endpoints",
                        "",
                        ""),
                RequestClass.resource(
                        "a kubelet gets its node",
                        "system:node:node-1",
                        List.of("system:nodes", "system:authenticated"),
                        "get",
                        "",
                        "nodes",
                        "",
                        ""),
                RequestClass.resource(
                        "the controller manager updates endpoints",
                        "system:kube-controller-manager",
                        List.of("system:authenticated"),
                        "update",
                        "",
                        "endpoints",
                        "",
                        "kube-system"),
                RequestClass.path("a health probe", "system:anonymous", List.of("system:unauthenticated"), "/healthz"),
                RequestClass.resource(
                        "a person lists pods",
                        "alice",
                        List.of("system:authenticated"),
                        "list",
                        "",
                        "pods",
                        "",
                        "default"),
                RequestClass.resource(
                        "a person creates a deployment",
                        "alice",
                        List.of("system:authenticated"),
                        "create",
                        "apps",
                        "deployments",
                        "",
                        "default"),
                RequestClass.resource(
                        "an event is recorded",
                        "system:node:node-1",
                        List.of("system:nodes", "system:authenticated"),
                        "create",
                        "",
                        "events",
                        "",
                        "default"));
    }
}
