package io.kubetwin.scan.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The starter set of 20 detection rules, covering the seed articles' concerns: anonymous access, exec into pods,
 * secret reads, RBAC changes, impersonation, privileged pods, untrusted images, the kubelet's proxy, tokens,
 * certificates and webhooks. Each watches its requests as sent by a person, a service account and a node (and,
 * where it is about them, anonymous clients), because a policy may log one and drop another.
 */
public final class StarterRules {
    private StarterRules() {}

    /** The requesters a rule's requests are sent by. */
    public record Requester(String label, String user, List<String> groups) {}

    public static final Requester PERSON =
            new Requester("a person", "alice", List.of("company", "system:authenticated"));
    public static final Requester SERVICE_ACCOUNT = new Requester(
            "a service account",
            "system:serviceaccount:default:app",
            List.of("system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"));
    public static final Requester NODE =
            new Requester("a node", "system:node:node-1", List.of("system:nodes", "system:authenticated"));
    public static final Requester ANONYMOUS =
            new Requester("an anonymous client", "system:anonymous", List.of("system:unauthenticated"));
    public static final List<Requester> AUTHENTICATED = List.of(PERSON, SERVICE_ACCOUNT, NODE);

    /** The trusted registry the image rules assume. */
    public static final String TRUSTED_REGISTRY = "myregistry.io/";

    static final List<String> META = List.of("verb", "objectRef.resource", "objectRef.subresource", "user.username");

    public static List<DetectionRule> all() {
        var rules = new ArrayList<DetectionRule>();
        rules.add(rule(
                "anonymous-request",
                "A request from an anonymous client",
                AuditLevel.Metadata,
                List.of("user.username"),
                List.of(ANONYMOUS),
                List.of(res("get", "", "pods", "", "default"), path("/version"), path("/api")),
                e -> user(e).equals("system:anonymous")));
        rules.add(metadataRule("exec-into-pod", "Exec into a pod", "create", "", "pods", "exec", "default"));
        rules.add(metadataRule("attach-to-pod", "Attach to a pod", "create", "", "pods", "attach", "default"));
        rules.add(
                metadataRule("port-forward", "Port-forward to a pod", "create", "", "pods", "portforward", "default"));
        rules.add(metadataRule("secret-get", "A secret read", "get", "", "secrets", "", "default"));
        rules.add(metadataRule("secret-list", "Secrets listed", "list", "", "secrets", "", "default"));
        rules.add(metadataRule(
                "rbac-clusterrolebinding-change",
                "A ClusterRoleBinding created",
                "create",
                "rbac.authorization.k8s.io",
                "clusterrolebindings",
                "",
                ""));
        rules.add(metadataRule(
                "rbac-role-change", "A Role created", "create", "rbac.authorization.k8s.io", "roles", "", "default"));
        rules.add(rule(
                "impersonation",
                "A request made while impersonating another user",
                AuditLevel.Metadata,
                List.of("impersonatedUser"),
                AUTHENTICATED,
                List.of(res("get", "", "pods", "", "default")),
                e -> e.has("impersonatedUser")));
        rules.add(metadataRule(
                "serviceaccount-token",
                "A service-account token minted",
                "create",
                "",
                "serviceaccounts",
                "token",
                "default"));
        rules.add(metadataRule(
                "csr-approval",
                "A certificate signing request approved",
                "update",
                "certificates.k8s.io",
                "certificatesigningrequests",
                "approval",
                ""));
        rules.add(metadataRule(
                "webhook-configuration-change",
                "A mutating webhook configuration created",
                "create",
                "admissionregistration.k8s.io",
                "mutatingwebhookconfigurations",
                "",
                ""));
        rules.add(metadataRule(
                "nodes-proxy", "The kubelet reached through nodes/proxy", "get", "", "nodes", "proxy", ""));
        rules.add(metadataRule("namespace-deleted", "A namespace deleted", "delete", "", "namespaces", "", ""));
        rules.add(bodyRule(
                "privileged-pod",
                "A privileged pod created",
                "requestObject.spec.containers[].securityContext.privileged",
                "pods",
                e -> containers(e).stream()
                        .anyMatch(c ->
                                c.path("securityContext").path("privileged").asBoolean())));
        rules.add(bodyRule(
                "hostpath-pod",
                "A pod mounting a host path",
                "requestObject.spec.volumes[].hostPath",
                "pods",
                e -> anyOf(e.path("requestObject").path("spec").path("volumes"), v -> v.has("hostPath"))));
        rules.add(bodyRule(
                "host-network-pod",
                "A pod in the host's network namespace",
                "requestObject.spec.hostNetwork",
                "pods",
                e -> e.path("requestObject").path("spec").path("hostNetwork").asBoolean()));
        rules.add(bodyRule(
                "untrusted-image",
                "A pod with an image from outside the trusted registry",
                "requestObject.spec.containers[].image",
                "pods",
                e -> containers(e).stream()
                        .anyMatch(c -> !c.path("image").asText().startsWith(TRUSTED_REGISTRY))));
        rules.add(bodyRule(
                "configmap-with-credentials",
                "A ConfigMap holding what looks like a credential",
                "requestObject.data",
                "configmaps",
                e -> {
                    var data = e.path("requestObject").path("data").toString().toLowerCase(java.util.Locale.ROOT);
                    return data.contains("password") || data.contains("aws_secret") || data.contains("token");
                }));
        rules.add(rule(
                "clusterrole-wildcard",
                "A ClusterRole with wildcard verbs or resources",
                AuditLevel.Request,
                List.of("verb", "objectRef.resource", "requestObject.rules[].verbs", "requestObject.rules[].resources"),
                AUTHENTICATED,
                List.of(res("create", "rbac.authorization.k8s.io", "clusterroles", "", "")),
                e -> is(e, "create", "clusterroles", "")
                        && anyOf(
                                e.path("requestObject").path("rules"),
                                r -> r.path("verbs").toString().contains("\"*\"")
                                        || r.path("resources").toString().contains("\"*\""))));
        return List.copyOf(rules);
    }

    private static DetectionRule metadataRule(
            String id,
            String concern,
            String verb,
            String group,
            String resource,
            String subresource,
            String namespace) {
        return rule(
                id,
                concern,
                AuditLevel.Metadata,
                META,
                AUTHENTICATED,
                List.of(res(verb, group, resource, subresource, namespace)),
                e -> is(e, verb, resource, subresource));
    }

    private static DetectionRule bodyRule(
            String id, String concern, String field, String resource, Predicate<JsonNode> body) {
        return rule(
                id,
                concern,
                AuditLevel.Request,
                List.of("verb", "objectRef.resource", field),
                AUTHENTICATED,
                List.of(res("create", "", resource, "", "default")),
                e -> is(e, "create", resource, "") && body.test(e));
    }

    /** A request template: who sends it is filled in per requester. */
    private record Template(
            String verb, String group, String resource, String subresource, String namespace, String path) {}

    private static Template res(String verb, String group, String resource, String subresource, String namespace) {
        return new Template(verb, group, resource, subresource, namespace, null);
    }

    private static Template path(String path) {
        return new Template("get", "", "", "", "", path);
    }

    private static DetectionRule rule(
            String id,
            String concern,
            AuditLevel needs,
            List<String> fields,
            List<Requester> requesters,
            List<Template> templates,
            Predicate<JsonNode> condition) {
        var watches = new ArrayList<RequestClass>();
        for (var t : templates) {
            for (var who : requesters) {
                String what = t.path() != null
                        ? "GET " + t.path()
                        : t.verb() + " " + (t.group().isEmpty() ? "" : t.group() + "/") + t.resource()
                                + (t.subresource().isEmpty() ? "" : "/" + t.subresource());
                String label = what + " by " + who.label();
                watches.add(
                        t.path() != null
                                ? RequestClass.path(label, who.user(), who.groups(), t.path())
                                : RequestClass.resource(
                                        label,
                                        who.user(),
                                        who.groups(),
                                        t.verb(),
                                        t.group(),
                                        t.resource(),
                                        t.subresource(),
                                        t.namespace()));
            }
        }
        return new DetectionRule(id, concern, needs, fields, watches, condition);
    }

    static String user(JsonNode e) {
        return e.path("user").path("username").asText();
    }

    static boolean is(JsonNode e, String verb, String resource, String subresource) {
        var ref = e.path("objectRef");
        return verb.equals(e.path("verb").asText())
                && resource.equals(ref.path("resource").asText())
                && subresource.equals(ref.path("subresource").asText(""));
    }

    private static List<JsonNode> containers(JsonNode e) {
        var out = new ArrayList<JsonNode>();
        e.path("requestObject").path("spec").path("containers").forEach(out::add);
        return out;
    }

    private static boolean anyOf(JsonNode array, Predicate<JsonNode> test) {
        for (var n : array) {
            if (test.test(n)) {
                return true;
            }
        }
        return false;
    }
}
