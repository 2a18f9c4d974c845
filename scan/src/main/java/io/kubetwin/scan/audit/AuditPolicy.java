package io.kubetwin.scan.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An audit.k8s.io/v1 Policy, typed, with the policy checker of k8s.io/apiserver/pkg/audit/policy/checker.go: the
 * first rule that matches decides the level (None when none matches), and the omitted stages are the policy's and
 * the rule's together.
 */
public record AuditPolicy(String name, List<PolicyRule> rules, Set<Stage> omitStages) {
    private static final ObjectMapper YAML = new YAMLMapper();

    /** The stages of an audit event. */
    public enum Stage {
        RequestReceived,
        ResponseStarted,
        ResponseComplete,
        Panic
    }

    /** One {@code rules[]} entry. */
    public record PolicyRule(
            AuditLevel level,
            List<String> users,
            List<String> userGroups,
            List<String> verbs,
            List<GroupResources> resources,
            List<String> namespaces,
            List<String> nonResourceURLs,
            Set<Stage> omitStages) {}

    /** {@code resources[]}: a group, resources (a name, a star, star-slash-subresource, resource-slash-star) and names. */
    public record GroupResources(String group, List<String> resources, List<String> resourceNames) {}

    /** What the policy decides for one request. */
    public record Decision(AuditLevel level, Set<Stage> omitStages) {}

    public static AuditPolicy read(Path file) {
        try {
            return parse(file.getFileName().toString().replaceAll("\\.(ya?ml|json)$", ""), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One of the seed articles' policies shipped with the scan: metadata, ignore-system-users, alibaba, admin-anonymous. */
    public static AuditPolicy seed(String name) {
        try (var in = AuditPolicy.class.getResourceAsStream("policies/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalArgumentException("no seed policy " + name);
            }
            return parse(name, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final List<String> SEEDS = List.of("metadata", "ignore-system-users", "alibaba", "admin-anonymous");

    public static AuditPolicy parse(String name, String yaml) {
        try {
            return of(name, YAML.readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AuditPolicy of(String name, JsonNode policy) {
        var rules = new ArrayList<PolicyRule>();
        for (var r : policy.path("rules")) {
            var resources = new ArrayList<GroupResources>();
            for (var gr : r.path("resources")) {
                resources.add(new GroupResources(
                        gr.path("group").asText(""), texts(gr.path("resources")), texts(gr.path("resourceNames"))));
            }
            rules.add(new PolicyRule(
                    AuditLevel.valueOf(r.path("level").asText()),
                    texts(r.path("users")),
                    texts(r.path("userGroups")),
                    texts(r.path("verbs")),
                    resources,
                    texts(r.path("namespaces")),
                    texts(r.path("nonResourceURLs")),
                    stages(r.path("omitStages"))));
        }
        return new AuditPolicy(name, rules, stages(policy.path("omitStages")));
    }

    private static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Set<Stage> stages(JsonNode array) {
        var out = EnumSet.noneOf(Stage.class);
        array.forEach(n -> out.add(Stage.valueOf(n.asText())));
        return out;
    }

    /** checker.go LevelAndStages: the first matching rule, else None. */
    public Decision decide(RequestClass request) {
        for (var rule : rules) {
            if (matches(rule, request)) {
                var omit = EnumSet.noneOf(Stage.class);
                omit.addAll(omitStages);
                omit.addAll(rule.omitStages());
                return new Decision(rule.level(), omit);
            }
        }
        return new Decision(AuditLevel.None, omitStages);
    }

    /** checker.go ruleMatches: users, then any group, then verbs, then resources/namespaces or non-resource URLs. */
    static boolean matches(PolicyRule rule, RequestClass r) {
        if (!rule.users().isEmpty() && !rule.users().contains(r.user())) {
            return false;
        }
        if (!rule.userGroups().isEmpty() && r.groups().stream().noneMatch(rule.userGroups()::contains)) {
            return false;
        }
        if (!rule.verbs().isEmpty() && !rule.verbs().contains(r.verb())) {
            return false;
        }
        if (!rule.namespaces().isEmpty() || !rule.resources().isEmpty()) {
            return matchesResource(rule, r);
        }
        if (!rule.nonResourceURLs().isEmpty()) {
            return !r.resourceRequest()
                    && rule.nonResourceURLs().stream().anyMatch(spec -> pathMatches(r.path(), spec));
        }
        return true;
    }

    private static boolean pathMatches(String path, String spec) {
        return spec.equals("*")
                || spec.equals(path)
                || (spec.endsWith("*") && path.startsWith(spec.substring(0, spec.length() - 1)));
    }

    /** checker.go ruleMatchesResource. */
    private static boolean matchesResource(PolicyRule rule, RequestClass r) {
        if (!r.resourceRequest()) {
            return false;
        }
        if (!rule.namespaces().isEmpty() && !rule.namespaces().contains(r.namespace())) {
            return false;
        }
        if (rule.resources().isEmpty()) {
            return true;
        }
        String combined = r.subresource().isEmpty() ? r.resource() : r.resource() + "/" + r.subresource();
        for (var gr : rule.resources()) {
            if (!gr.group().equals(r.group())) {
                continue;
            }
            if (gr.resources().isEmpty()) {
                return true;
            }
            for (var res : gr.resources()) {
                if (!gr.resourceNames().isEmpty() && !gr.resourceNames().contains(r.name())) {
                    continue;
                }
                if (res.equals(combined) || res.equals("*")) {
                    return true;
                }
                if (!r.subresource().isEmpty()
                        && res.startsWith("*/")
                        && r.subresource().equals(res.substring(2))) {
                    return true;
                }
                if (res.endsWith("/*") && r.resource().equals(res.substring(0, res.length() - 2))) {
                    return true;
                }
            }
        }
        return false;
    }
}
