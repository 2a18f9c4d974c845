package io.kubetwin.apiserver.server;

import io.kubetwin.client.ApiClient;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The requests replayed against the reference kube-apiserver (recorded by {@link AuditReferenceRecorder}) and
 * against the fake (compared by {@link AuditReferenceTest}), in this order, each with {@code Audit-ID: <id>}:
 * RBAC set-up, allowed requests with each kind of RBAC reason, 401, 403 (resource, non-resource, impersonation),
 * impersonation, every write verb, watch, discovery, health and unknown paths, proxies' headers.
 *
 * <p>Callers: {@code admin} (certificate, group system:masters), {@code alice} (certificate, no group), the tokens
 * of {@code golden/audit/reference/e2e/tokens.csv} ({@code token:<token>}), a token nobody knows
 * ({@code token:bad}), and {@code anonymous}.
 */
final class AuditScript {
    /** Where the policies, the --token-auth-file of both servers and the recorded events are (test resources). */
    static final String GOLDEN = "audit/reference/e2e/";

    static final String PREFIX = "e2e-";
    private static final String NS = "/api/v1/namespaces/target-namespace";
    private static final String RBAC = "/apis/rbac.authorization.k8s.io/v1";
    private static final String JSON = "application/json";

    /** One request; {@code headers} are name, value pairs. */
    record Step(String id, String as, String method, String path, String body, String contentType, String... headers) {}

    static final List<Step> STEPS = List.of(
            step(
                    "01-create-ns",
                    "admin",
                    "POST",
                    "/api/v1/namespaces",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"target-namespace\"}}"),
            step(
                    "02-create-role",
                    "admin",
                    "POST",
                    RBAC + "/namespaces/target-namespace/roles",
                    "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\",\"metadata\":{\"name\":\"pod-reader\"},"
                            + "\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\",\"list\",\"watch\"]}]}"),
            step(
                    "03-create-rolebinding",
                    "admin",
                    "POST",
                    RBAC + "/namespaces/target-namespace/rolebindings",
                    "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"read-pods\"},"
                            + "\"subjects\":[{\"kind\":\"User\",\"name\":\"mynewuser\",\"apiGroup\":\"rbac.authorization.k8s.io\"}],"
                            + "\"roleRef\":{\"kind\":\"Role\",\"name\":\"pod-reader\",\"apiGroup\":\"rbac.authorization.k8s.io\"}}"),
            step(
                    "04-create-clusterrole",
                    "admin",
                    "POST",
                    RBAC + "/clusterroles",
                    "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"name\":\"cm-reader\"},"
                            + "\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"configmaps\"],\"verbs\":[\"get\"]}]}"),
            step(
                    "05-create-clusterrolebinding",
                    "admin",
                    "POST",
                    RBAC + "/clusterrolebindings",
                    "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\"read-cms\"},"
                            + "\"subjects\":[{\"kind\":\"Group\",\"name\":\"dev\",\"apiGroup\":\"rbac.authorization.k8s.io\"}],"
                            + "\"roleRef\":{\"kind\":\"ClusterRole\",\"name\":\"cm-reader\",\"apiGroup\":\"rbac.authorization.k8s.io\"}}"),
            step(
                    "06-create-cm",
                    "admin",
                    "POST",
                    NS + "/configmaps",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm1\",\"labels\":{\"app\":\"demo\"}},"
                            + "\"data\":{\"k\":\"v\",\"html\":\"<b>&amp;</b>\"}}"),
            step("07-rolebinding-list", "token:mynewuser-token", "GET", NS + "/pods", null),
            step("08-rolebinding-get-missing", "token:mynewuser-token", "GET", NS + "/pods/p1", null),
            step("09-forbidden-other-ns", "token:mynewuser-token", "GET", "/api/v1/namespaces/default/pods", null),
            step("10-clusterrolebinding-group", "token:bob-token", "GET", NS + "/configmaps/cm1", null),
            step("11-bad-token", "token:bad", "GET", "/api/v1/namespaces/default/pods", null),
            step("12-anonymous-forbidden", "anonymous", "GET", "/api/v1/namespaces", null),
            step("13-anonymous-version", "anonymous", "GET", "/version", null),
            step(
                    "14-impersonate-allowed",
                    "admin",
                    "GET",
                    NS + "/pods?limit=10",
                    null,
                    "Impersonate-User",
                    "mynewuser"),
            step("15-impersonate-forbidden", "alice", "GET", NS + "/pods", null, "Impersonate-User", "bob"),
            step(
                    "16-update",
                    "admin",
                    "PUT",
                    NS + "/configmaps/cm1",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm1\",\"labels\":{\"app\":\"demo\"}},"
                            + "\"data\":{\"k\":\"v2\"}}"),
            new Step(
                    PREFIX + "17-merge-patch",
                    "admin",
                    "PATCH",
                    NS + "/configmaps/cm1",
                    "{\"data\":{\"m\":\"1\"}}",
                    "application/merge-patch+json"),
            new Step(
                    PREFIX + "18-json-patch",
                    "admin",
                    "PATCH",
                    NS + "/configmaps/cm1",
                    "[{\"op\":\"add\",\"path\":\"/data/j\",\"value\":\"2\"}]",
                    "application/json-patch+json"),
            new Step(
                    PREFIX + "19-strategic-patch",
                    "admin",
                    "PATCH",
                    NS + "/configmaps/cm1",
                    "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}",
                    "application/strategic-merge-patch+json"),
            step("20-get", "admin", "GET", NS + "/configmaps/cm1", null),
            step("21-watch", "admin", "GET", NS + "/configmaps?watch=1&timeoutSeconds=1", null),
            step(
                    "22-watch-rolebinding",
                    "token:mynewuser-token",
                    "GET",
                    NS + "/pods?watch=true&timeoutSeconds=1",
                    null),
            step(
                    "23-proxied",
                    "admin",
                    "GET",
                    NS,
                    null,
                    "X-Forwarded-For",
                    "203.0.113.7, 10.0.0.1",
                    "X-Real-Ip",
                    "198.51.100.2"),
            step("24-discovery-group", "alice", "GET", "/apis/rbac.authorization.k8s.io", null),
            step("25-discovery-api", "alice", "GET", "/api", null),
            step("26-forbidden-nonresource", "alice", "GET", "/metrics", null),
            step("27-healthz", "admin", "GET", "/healthz", null),
            step("28-unknown-path", "admin", "GET", "/nonexistent/path?x=1", null),
            step(
                    "29-create-secret",
                    "admin",
                    "POST",
                    NS + "/secrets",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s1\"},\"data\":{\"password\":\"aHVudGVyMg==\"}}"),
            step(
                    "30-delete-with-options",
                    "admin",
                    "DELETE",
                    NS + "/secrets/s1",
                    "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0}"),
            step("31-delete", "admin", "DELETE", NS + "/configmaps/cm1", null),
            step("32-deletecollection", "admin", "DELETE", NS + "/configmaps?labelSelector=x%3Dy", null),
            step(
                    "33-invalid",
                    "admin",
                    "POST",
                    NS + "/configmaps",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"BAD_NAME\"}}"),
            step("34-token-admin", "token:admin-token", "GET", NS + "/configmaps/missing", null));

    private static Step step(String id, String as, String method, String path, String body, String... headers) {
        return new Step(PREFIX + id, as, method, path, body, body == null ? null : JSON, headers);
    }

    private AuditScript() {}

    /** Sends every step in order; returns the HTTP status of each (-1: the connection failed), by audit ID. */
    static Map<String, Integer> run(Function<String, ApiClient> clients) {
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (Step s : STEPS) {
            List<String> headers = new ArrayList<>(List.of("Audit-ID", s.id()));
            headers.addAll(List.of(s.headers()));
            try {
                ApiClient.Response r = clients.apply(s.as())
                        .send(s.method(), s.path(), s.body(), s.contentType(), headers.toArray(String[]::new));
                codes.put(s.id(), r.code());
            } catch (UncheckedIOException e) {
                // a dropped connection (kube-apiserver ends HTTP/2 ones after a failed authentication; ApiClient
                // speaks HTTP/1.1 for that reason) is recorded, not fatal: the request was served and audited
                codes.put(s.id(), -1);
            }
        }
        return codes;
    }
}
