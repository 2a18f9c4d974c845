package io.kubetwin.scenarios.differential;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random access questions about the subjects of a world. */
public final class QuestionGenerator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final Random random;
    private final RbacWorldGenerator picker;
    private final double realRequestShare;
    private int next;

    public QuestionGenerator(Random random, double realRequestShare) {
        this.random = random;
        this.picker = new RbacWorldGenerator(random);
        this.realRequestShare = realRequestShare;
    }

    public Question next(RbacWorld world) {
        var id = next++;
        // Who asks.
        String user;
        var groups = new ArrayList<String>();
        int who = random.nextInt(10);
        if (who < 6) {
            user = picker.pickFrom(world.users());
            groups.addAll(picker.pickSome(world.groups(), random.nextInt(3)));
            if (random.nextInt(10) < 8) {
                groups.add("system:authenticated");
            }
        } else if (who < 9) {
            var sa = picker.pickFrom(world.serviceAccounts());
            user = sa.username();
            groups.add("system:serviceaccounts");
            groups.add("system:serviceaccounts:" + sa.namespace());
            groups.add("system:authenticated");
        } else {
            user = world.prefix() + "-stranger";
        }
        var sar = F.objectNode();
        sar.put("apiVersion", "authorization.k8s.io/v1");
        sar.put("kind", "SubjectAccessReview");
        var spec = sar.putObject("spec");
        spec.put("user", user);
        if (!groups.isEmpty()) {
            var g = spec.putArray("groups");
            groups.forEach(g::add);
        }
        Question.RealRequest real = null;
        boolean wantReal = random.nextDouble() < realRequestShare;
        if (random.nextInt(5) == 0) {
            var path = picker.pickFrom(Vocabulary.NON_RESOURCE_PATHS);
            var verb = picker.pickFrom(Vocabulary.NON_RESOURCE_VERBS);
            spec.putObject("nonResourceAttributes").put("path", path).put("verb", verb);
            if (wantReal && verb.equals("get") && Vocabulary.REAL_NON_RESOURCE_PATHS.contains(path)) {
                real = new Question.RealRequest("GET", path, impersonation(user, groups));
            }
            return new Question(id, world.prefix(), sar, real);
        }
        var resource = picker.pickFrom(Vocabulary.RESOURCES);
        var attributes = spec.putObject("resourceAttributes");
        String namespace = "";
        if (resource.namespaced() && random.nextInt(8) != 0) {
            namespace = random.nextInt(6) == 0 ? "default" : picker.pickFrom(world.namespaces());
        }
        if (!namespace.isEmpty()) {
            attributes.put("namespace", namespace);
        }
        var verb = picker.pickFrom(Vocabulary.VERBS);
        attributes.put("verb", verb);
        if (random.nextInt(30) == 0) {
            attributes.put("group", "*");
        } else if (!resource.group().isEmpty()) {
            attributes.put("group", resource.group());
        }
        attributes.put("version", resource.version());
        attributes.put("resource", resource.resource());
        String subresource = null;
        if (!resource.subresources().isEmpty() && random.nextInt(4) == 0) {
            subresource = picker.pickFrom(resource.subresources());
            attributes.put("subresource", subresource);
        }
        String name = null;
        if (random.nextBoolean()) {
            name = picker.pickFrom(Vocabulary.NAMES);
            attributes.put("name", name);
        }
        if (wantReal
                && Vocabulary.SERVED_EVERYWHERE.contains(resource.resource())
                && (subresource == null || Vocabulary.SERVED_SUBRESOURCES.contains(subresource))
                && !"*".equals(attributes.path("group").asText())) {
            real = realRequest(resource, namespace, verb, subresource, name, user, groups);
        }
        return new Question(id, world.prefix(), sar, real);
    }

    private static Question.RealRequest realRequest(
            Vocabulary.Resource resource,
            String namespace,
            String verb,
            String subresource,
            String name,
            String user,
            List<String> groups) {
        var base = new StringBuilder(resource.groupPrefix());
        if (!namespace.isEmpty()) {
            base.append("/namespaces/").append(namespace);
        }
        base.append('/').append(resource.resource());
        var headers = impersonation(user, groups);
        // Only verbs whose request is harmless whatever the decision: reads, and deletes of names that do not exist.
        if (verb.equals("get") && name != null) {
            var path = base + "/" + name + (subresource == null || subresource.equals("exec") ? "" : "/" + subresource);
            return new Question.RealRequest("GET", path, headers);
        }
        if (verb.equals("list") && subresource == null && name == null) {
            return new Question.RealRequest("GET", base.toString(), headers);
        }
        if (verb.equals("delete") && name != null && subresource == null) {
            return new Question.RealRequest("DELETE", base + "/" + name, headers);
        }
        return null;
    }

    private static Map<String, List<String>> impersonation(String user, List<String> groups) {
        var headers = new LinkedHashMap<String, List<String>>();
        headers.put("Impersonate-User", List.of(user));
        // A service account's groups are derived by the server; sending them would only repeat them.
        var explicit = user.startsWith("system:serviceaccount:")
                ? List.<String>of()
                : groups.stream().filter(g -> !g.equals("system:authenticated")).toList();
        if (!explicit.isEmpty()) {
            headers.put("Impersonate-Group", explicit);
        }
        return headers;
    }
}
