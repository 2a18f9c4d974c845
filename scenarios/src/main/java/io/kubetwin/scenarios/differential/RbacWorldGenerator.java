package io.kubetwin.scenarios.differential;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

/** Makes random {@link RbacWorld}s from a {@link Random}; the same seed gives the same worlds. */
public final class RbacWorldGenerator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> BUILTIN_ROLES = List.of("view", "edit", "admin", "system:basic-user");

    private final Random random;

    public RbacWorldGenerator(Random random) {
        this.random = random;
    }

    public RbacWorld generate(int index) {
        var prefix = "w" + index;
        var namespaces = List.of(prefix + "-a", prefix + "-b");
        var users = List.of(prefix + "-u0", prefix + "-u1", prefix + "-u2", prefix + "-u3");
        var groups = List.of(prefix + "-g0", prefix + "-g1", prefix + "-g2");
        var sas = new ArrayList<RbacWorld.ServiceAccount>();
        for (var ns : namespaces) {
            sas.add(new RbacWorld.ServiceAccount(ns, "sa0"));
            sas.add(new RbacWorld.ServiceAccount(ns, "sa1"));
        }
        var objects = new ArrayList<ObjectNode>();
        for (var ns : namespaces) {
            objects.add(object("v1", "Namespace", null, ns));
        }
        // Cluster roles: some plain, one aggregating the ones labelled for it.
        var clusterRoles = new ArrayList<String>();
        var aggregationLabel = "kubetwin.io/" + prefix + "-agg";
        int plainCount = 3 + random.nextInt(2);
        for (int i = 0; i < plainCount; i++) {
            var name = prefix + "-cr" + i;
            var role = object("rbac.authorization.k8s.io/v1", "ClusterRole", null, name);
            if (i == 0 || random.nextInt(3) == 0) {
                ((ObjectNode) role.get("metadata")).putObject("labels").put(aggregationLabel, "true");
            }
            role.set("rules", rules(true));
            objects.add(role);
            clusterRoles.add(name);
        }
        var aggregatedName = prefix + "-aggregated";
        var aggregated = object("rbac.authorization.k8s.io/v1", "ClusterRole", null, aggregatedName);
        aggregated
                .putObject("aggregationRule")
                .putArray("clusterRoleSelectors")
                .addObject()
                .putObject("matchLabels")
                .put(aggregationLabel, "true");
        objects.add(aggregated);
        clusterRoles.add(aggregatedName);
        // Roles and role bindings per namespace.
        for (var ns : namespaces) {
            var roles = new ArrayList<String>();
            int roleCount = 1 + random.nextInt(3);
            for (int i = 0; i < roleCount; i++) {
                var name = prefix + "-role" + i;
                var role = object("rbac.authorization.k8s.io/v1", "Role", ns, name);
                role.set("rules", rules(false));
                objects.add(role);
                roles.add(name);
            }
            int bindingCount = 2 + random.nextInt(3);
            for (int i = 0; i < bindingCount; i++) {
                var binding = object("rbac.authorization.k8s.io/v1", "RoleBinding", ns, prefix + "-rb" + i);
                binding.set("subjects", subjects(users, groups, sas, ns));
                var ref = binding.putObject("roleRef");
                ref.put("apiGroup", "rbac.authorization.k8s.io");
                int pick = random.nextInt(10);
                if (pick < 5) {
                    ref.put("kind", "Role").put("name", pickFrom(roles));
                } else if (pick < 9) {
                    ref.put("kind", "ClusterRole").put("name", pickFrom(clusterRoles));
                } else {
                    ref.put("kind", "ClusterRole").put("name", pickFrom(BUILTIN_ROLES));
                }
                objects.add(binding);
            }
        }
        int clusterBindings = 2 + random.nextInt(2);
        for (int i = 0; i < clusterBindings; i++) {
            var binding = object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, prefix + "-crb" + i);
            binding.set("subjects", subjects(users, groups, sas, null));
            binding.putObject("roleRef")
                    .put("apiGroup", "rbac.authorization.k8s.io")
                    .put("kind", "ClusterRole")
                    .put("name", random.nextInt(8) == 0 ? pickFrom(BUILTIN_ROLES) : pickFrom(clusterRoles));
            objects.add(binding);
        }
        return new RbacWorld(prefix, namespaces, users, groups, sas, objects, List.of(aggregatedName));
    }

    private ArrayNode rules(boolean clusterRole) {
        var rules = F.arrayNode();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            var rule = rules.addObject();
            if (clusterRole && random.nextInt(4) == 0) {
                var urls = rule.putArray("nonResourceURLs");
                pickSome(Vocabulary.NON_RESOURCE_URLS, 1 + random.nextInt(2)).forEach(urls::add);
                if (random.nextInt(6) == 0) {
                    urls.add("*");
                }
                var verbs = rule.putArray("verbs");
                if (random.nextInt(4) == 0) {
                    verbs.add("*");
                } else {
                    pickSome(List.of("get", "post", "put", "delete"), 1 + random.nextInt(2))
                            .forEach(verbs::add);
                }
                continue;
            }
            var resource = pickFrom(Vocabulary.RESOURCES);
            var groups = rule.putArray("apiGroups");
            int g = random.nextInt(10);
            if (g == 0) {
                groups.add("*");
            } else {
                groups.add(resource.group());
                if (g == 1) {
                    groups.add(pickFrom(Vocabulary.RESOURCES).group());
                }
            }
            var resources = rule.putArray("resources");
            int r = random.nextInt(12);
            if (r == 0) {
                resources.add("*");
            } else if (r <= 2 && !resource.subresources().isEmpty()) {
                resources.add(resource.resource() + "/" + pickFrom(resource.subresources()));
            } else if (r == 3 && !resource.subresources().isEmpty()) {
                resources.add("*/" + pickFrom(resource.subresources()));
            } else if (r == 4) {
                resources.add(resource.resource());
                resources.add(pickFrom(Vocabulary.RESOURCES).resource());
            } else {
                resources.add(resource.resource());
            }
            var verbs = rule.putArray("verbs");
            if (random.nextInt(6) == 0) {
                verbs.add("*");
            } else {
                pickSome(Vocabulary.VERBS, 1 + random.nextInt(3)).forEach(verbs::add);
            }
            if (random.nextInt(5) == 0) {
                var names = rule.putArray("resourceNames");
                pickSome(Vocabulary.NAMES, 1 + random.nextInt(2)).forEach(names::add);
            }
        }
        return rules;
    }

    private ArrayNode subjects(
            List<String> users, List<String> groups, List<RbacWorld.ServiceAccount> sas, String bindingNs) {
        var subjects = F.arrayNode();
        int count = 1 + random.nextInt(2);
        for (int i = 0; i < count; i++) {
            var s = subjects.addObject();
            int kind = random.nextInt(10);
            if (kind < 4) {
                s.put("kind", "User").put("name", pickFrom(users)).put("apiGroup", "rbac.authorization.k8s.io");
            } else if (kind < 7) {
                var group = random.nextInt(15) == 0 ? "system:serviceaccounts" : pickFrom(groups);
                s.put("kind", "Group").put("name", group).put("apiGroup", "rbac.authorization.k8s.io");
            } else {
                var sa = pickFrom(sas);
                s.put("kind", "ServiceAccount").put("name", sa.name());
                // In a RoleBinding an omitted namespace means the binding's own namespace.
                if (bindingNs == null || !sa.namespace().equals(bindingNs) || random.nextBoolean()) {
                    s.put("namespace", sa.namespace());
                }
            }
        }
        return subjects;
    }

    private static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
        var o = F.objectNode();
        o.put("apiVersion", apiVersion);
        o.put("kind", kind);
        var meta = o.putObject("metadata");
        meta.put("name", name);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        return o;
    }

    <T> T pickFrom(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    <T> List<T> pickSome(List<T> list, int n) {
        var out = new LinkedHashSet<T>();
        while (out.size() < Math.min(n, list.size())) {
            out.add(pickFrom(list));
        }
        return new ArrayList<>(out);
    }
}
