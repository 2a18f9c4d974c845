package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.List;

/**
 * rbacv1.PolicyRule. Lists are never null (an absent field reads as empty, which is what every upstream check
 * does with a nil slice).
 */
public record PolicyRule(
        List<String> verbs,
        List<String> apiGroups,
        List<String> resources,
        List<String> resourceNames,
        List<String> nonResourceURLs) {

    public PolicyRule {
        verbs = copy(verbs);
        apiGroups = copy(apiGroups);
        resources = copy(resources);
        resourceNames = copy(resourceNames);
        nonResourceURLs = copy(nonResourceURLs);
    }

    /** A resource rule for one verb, group and resource: {@code rule("get", "", "pods")}. */
    public static PolicyRule rule(String verb, String apiGroup, String resource) {
        return newRule(verb).groups(apiGroup).resources(resource).build();
    }

    /** Starts a rule like upstream's rbacv1helpers.NewRule(verbs...).Groups(...).Resources(...).RuleOrDie(). */
    public static Builder newRule(String... verbs) {
        return new Builder(List.of(verbs));
    }

    public static PolicyRule fromJson(JsonNode node) {
        return new PolicyRule(
                Json.strings(node, "verbs"),
                Json.strings(node, "apiGroups"),
                Json.strings(node, "resources"),
                Json.strings(node, "resourceNames"),
                Json.strings(node, "nonResourceURLs"));
    }

    /** In kube-apiserver's field order; empty lists omitted except {@code verbs}, which upstream never omits. */
    public ObjectNode toJson() {
        ObjectNode node = Json.NODES.objectNode();
        node.set("verbs", Json.array(verbs));
        Json.putIfNotEmpty(node, "apiGroups", apiGroups);
        Json.putIfNotEmpty(node, "resources", resources);
        Json.putIfNotEmpty(node, "resourceNames", resourceNames);
        Json.putIfNotEmpty(node, "nonResourceURLs", nonResourceURLs);
        return node;
    }

    /** Whether this rule allows the request (see {@link RuleMatching#allows}). */
    public boolean allows(Attributes attributes) {
        return RuleMatching.allows(attributes, this);
    }

    /**
     * The compact form used in escalation errors (rbacv1helpers.CompactString in pkg/apis/rbac/v1/evaluation_helpers.go):
     * {@code {APIGroups:[""], Resources:["pods"], NonResourceURLs:[...], ResourceNames:[...], Verbs:["get" "list"]}},
     * empty fields left out.
     */
    public String compactString() {
        List<String> parts = new ArrayList<>(5);
        add(parts, "APIGroups", apiGroups);
        add(parts, "Resources", resources);
        add(parts, "NonResourceURLs", nonResourceURLs);
        add(parts, "ResourceNames", resourceNames);
        add(parts, "Verbs", verbs);
        return "{" + String.join(", ", parts) + "}";
    }

    private static void add(List<String> parts, String name, List<String> values) {
        if (!values.isEmpty()) {
            parts.add(name + ":" + GoText.quoteList(values));
        }
    }

    private static List<String> copy(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    /** Fluent construction of a rule; each method replaces that field. */
    public static final class Builder {
        private final List<String> verbs;
        private List<String> groups = List.of();
        private List<String> resources = List.of();
        private List<String> names = List.of();
        private List<String> urls = List.of();

        private Builder(List<String> verbs) {
            this.verbs = verbs;
        }

        public Builder groups(String... groups) {
            this.groups = List.of(groups);
            return this;
        }

        public Builder resources(String... resources) {
            this.resources = List.of(resources);
            return this;
        }

        public Builder names(String... names) {
            this.names = List.of(names);
            return this;
        }

        public Builder urls(String... urls) {
            this.urls = List.of(urls);
            return this;
        }

        public PolicyRule build() {
            return new PolicyRule(verbs, groups, resources, names, urls);
        }
    }
}
