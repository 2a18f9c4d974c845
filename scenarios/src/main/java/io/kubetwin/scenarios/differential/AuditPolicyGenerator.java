package io.kubetwin.scenarios.differential;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.scenarios.model.TokenEntry;
import java.util.List;
import java.util.Random;

/**
 * Random audit policies (rules over users, groups, verbs, resources, namespaces, nonResourceURLs, levels and
 * omitStages) and the static-token users whose requests they are tested against.
 */
public final class AuditPolicyGenerator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final List<String> LEVELS = List.of("None", "Metadata", "Request", "RequestResponse");
    static final List<String> STAGES = List.of("RequestReceived", "ResponseStarted", "ResponseComplete");
    static final List<String> NAMESPACES = List.of("audit-a", "audit-b", "default");

    /** The users requests come from (plus anonymous); groups overlap so that userGroups rules collide. */
    public static final List<TokenEntry> USERS = List.of(
            new TokenEntry("audit-token-0", "auditor-0", "100", List.of("audit-g0")),
            new TokenEntry("audit-token-1", "auditor-1", "101", List.of("audit-g0", "audit-g1")),
            new TokenEntry("audit-token-2", "auditor-2", "102", List.of("audit-g2")),
            new TokenEntry("audit-token-3", "admin", "103", List.of("system:masters")));

    private final Random random;
    private final RbacWorldGenerator picker;

    public AuditPolicyGenerator(Random random) {
        this.random = random;
        this.picker = new RbacWorldGenerator(random);
    }

    public ObjectNode policy() {
        var policy = F.objectNode();
        policy.put("apiVersion", "audit.k8s.io/v1");
        policy.put("kind", "Policy");
        if (random.nextInt(3) == 0) {
            var omit = policy.putArray("omitStages");
            picker.pickSome(STAGES, 1).forEach(omit::add);
        }
        if (random.nextInt(4) == 0) {
            policy.put("omitManagedFields", random.nextBoolean());
        }
        var rules = policy.putArray("rules");
        int count = 2 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            rules.add(rule());
        }
        if (random.nextBoolean()) {
            rules.addObject().put("level", picker.pickFrom(LEVELS));
        }
        return policy;
    }

    private ObjectNode rule() {
        var rule = F.objectNode();
        rule.put("level", picker.pickFrom(LEVELS));
        if (random.nextInt(3) == 0) {
            var users = rule.putArray("users");
            pickSome(List.of("auditor-0", "auditor-1", "auditor-2", "admin", "system:anonymous"), users);
        }
        if (random.nextInt(3) == 0) {
            var groups = rule.putArray("userGroups");
            pickSome(
                    List.of(
                            "audit-g0",
                            "audit-g1",
                            "audit-g2",
                            "system:authenticated",
                            "system:unauthenticated",
                            "system:masters"),
                    groups);
        }
        if (random.nextInt(3) == 0) {
            var verbs = rule.putArray("verbs");
            pickSome(List.of("get", "list", "watch", "create", "delete", "patch"), verbs);
        }
        int target = random.nextInt(4);
        if (target == 0) {
            var urls = rule.putArray("nonResourceURLs");
            pickSome(List.of("/version", "/healthz*", "/api*", "/apis", "/metrics", "*"), urls);
        } else if (target == 1 || target == 2) {
            var resources = rule.putArray("resources");
            int n = 1 + random.nextInt(2);
            for (int i = 0; i < n; i++) {
                var entry = resources.addObject();
                var group = picker.pickFrom(List.of("", "", "rbac.authorization.k8s.io", "apps"));
                entry.put("group", group);
                if (random.nextInt(4) != 0) {
                    var names = entry.putArray("resources");
                    pickSome(
                            group.isEmpty()
                                    ? List.of("configmaps", "secrets", "pods", "pods/*", "namespaces", "*", "*/status")
                                    : List.of("roles", "deployments", "*", "deployments/scale"),
                            names);
                }
                // kube-apiserver refuses resourceNames without resources ("using resourceNames requires at
                // least one resource"): only valid policies are compared here, refusals have their own tests
                if (entry.has("resources") && random.nextInt(6) == 0) {
                    pickSome(List.of("c0", "c1"), entry.putArray("resourceNames"));
                }
            }
            if (random.nextBoolean()) {
                pickSome(List.of("audit-a", "audit-b", "default", ""), rule.putArray("namespaces"));
            }
        }
        if (random.nextInt(4) == 0) {
            pickSome(STAGES, rule.putArray("omitStages"));
        }
        return rule;
    }

    private void pickSome(List<String> from, ArrayNode into) {
        picker.pickSome(from, 1 + random.nextInt(2)).forEach(into::add);
    }

    /** A random request: who sends it (token or null for anonymous), method, path and body. */
    public record AuditRequest(String token, String method, String path, String body) {}

    public AuditRequest request(int index) {
        var token = random.nextInt(5) == 0 ? null : picker.pickFrom(USERS).token();
        var ns = picker.pickFrom(NAMESPACES);
        return switch (random.nextInt(7)) {
            case 0 -> new AuditRequest(token, "GET", "/api/v1/namespaces/" + ns + "/configmaps", null);
            case 1 ->
                new AuditRequest(token, "GET", "/api/v1/namespaces/" + ns + "/configmaps/c" + random.nextInt(2), null);
            case 2 ->
                new AuditRequest(
                        token,
                        "POST",
                        "/api/v1/namespaces/" + ns + "/configmaps",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"r" + index
                                + "\"},\"data\":{\"k\":\"v\"}}");
            case 3 -> new AuditRequest(token, "GET", "/api/v1/namespaces/" + ns + "/secrets", null);
            case 4 ->
                new AuditRequest(token, "GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/" + ns + "/roles", null);
            case 5 -> new AuditRequest(token, "GET", "/api/v1/namespaces/" + ns, null);
            // not /apis or /metrics: the fake serves fewer groups and no metrics (documented limitations), so
            // their bodies differ whatever audit does
            default -> new AuditRequest(token, "GET", picker.pickFrom(List.of("/version", "/healthz", "/api")), null);
        };
    }
}
