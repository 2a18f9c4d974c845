package io.kubetwin.scan.checks;

import io.kubetwin.scan.model.Exchange;
import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.Severity;
import io.kubetwin.scan.probe.Answer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client without any credential reaches on the apiserver: health and version paths, discovery and OpenAPI,
 * other non-resource paths, and cluster-wide lists of sensitive resources. A 401 is the only answer that means
 * "anonymous requests are refused"; a 403 means the request was authenticated as {@code system:anonymous} and only
 * authorization stopped it.
 */
public final class AnonymousReachCheck implements Check {
    static final String CIS_ANONYMOUS = "CIS 1.2.1 (--anonymous-auth=false); first seed article, Authentication";

    static final Rule HEALTH = new Rule(
            "KT-ANON-HEALTH",
            "Health or version endpoint answers anonymous clients",
            Severity.INFO,
            CIS_ANONYMOUS,
            "Expected with anonymous authentication on (system:public-info-viewer); restrict anonymous access to "
                    + "these paths with an AuthenticationConfiguration if it must stay on.");
    static final Rule AUTHENTICATED = new Rule(
            "KT-ANON-AUTH",
            "Anonymous requests are authenticated beyond health checks",
            Severity.LOW,
            CIS_ANONYMOUS,
            "Set --anonymous-auth=false, or limit anonymous authentication to health paths (AuthenticationConfiguration "
                    + "anonymous.conditions): only authorization stands between anonymous clients and the API.");
    static final Rule PATH = new Rule(
            "KT-ANON-PATH",
            "Discovery, OpenAPI or another non-resource path answers anonymous clients",
            Severity.MEDIUM,
            CIS_ANONYMOUS + "; CIS 5.1.1-5.1.3 (RBAC grants)",
            "Remove the grants that give system:anonymous or system:unauthenticated these non-resource URLs.");
    static final Rule RESOURCE = new Rule(
            "KT-ANON-RESOURCE",
            "Anonymous clients can list a resource",
            Severity.HIGH,
            CIS_ANONYMOUS + "; CIS 5.1.2 (access to secrets)",
            "Remove every RoleBinding or ClusterRoleBinding to system:anonymous or system:unauthenticated, and never run "
                    + "with --authorization-mode=AlwaysAllow.");

    /** Paths system:public-info-viewer opens to everyone in the bootstrap policy. */
    static final List<String> HEALTH_PATHS = List.of("/healthz", "/livez", "/readyz", "/version");
    /** Other non-resource paths; the bootstrap policy opens none of them to anonymous clients. */
    static final List<String> OTHER_PATHS = List.of(
            "/api",
            "/apis",
            "/openapi/v2",
            "/openapi/v3",
            "/.well-known/openid-configuration",
            "/openid/v1/jwks",
            "/metrics",
            "/logs/",
            "/debug/pprof/");
    /** Cluster-wide lists, the most sensitive first. */
    static final List<ResourceList> RESOURCES = List.of(
            new ResourceList("secrets", "/api/v1/secrets", Severity.CRITICAL),
            new ResourceList("pods", "/api/v1/pods", Severity.HIGH),
            new ResourceList("configmaps", "/api/v1/configmaps", Severity.HIGH),
            new ResourceList("serviceaccounts", "/api/v1/serviceaccounts", Severity.HIGH),
            new ResourceList("namespaces", "/api/v1/namespaces", Severity.HIGH),
            new ResourceList("nodes", "/api/v1/nodes", Severity.HIGH),
            new ResourceList(
                    "clusterrolebindings", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", Severity.HIGH),
            new ResourceList(
                    "validatingwebhookconfigurations",
                    "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
                    Severity.HIGH));

    record ResourceList(String resource, String path, Severity severity) {}

    @Override
    public String name() {
        return "anonymous-reach";
    }

    @Override
    public String description() {
        return "Which health, discovery and other paths, and which resource lists, answer a client with no credentials";
    }

    @Override
    public List<Rule> rules() {
        return List.of(HEALTH, AUTHENTICATED, PATH, RESOURCE);
    }

    @Override
    public void run(ScanContext context, Findings out) {
        var anonymous = context.anonymous();
        Exchange firstAuthenticated = null;
        for (var path : HEALTH_PATHS) {
            var a = anonymous.get(path);
            if (a.ok()) {
                out.add(HEALTH.finding(
                        path,
                        "GET " + path + " answered " + a.code() + " without credentials.",
                        List.of(a.exchange())));
            } else {
                noteUnexpected(a, out);
            }
        }
        var checked = new ArrayList<Answer>();
        for (var path : OTHER_PATHS) {
            var a = anonymous.get(path);
            checked.add(a);
            if (a.ok()) {
                out.add(PATH.finding(
                        path,
                        "GET " + path + " answered " + a.code() + " without credentials.",
                        List.of(a.exchange())));
            }
        }
        for (var r : RESOURCES) {
            var a = anonymous.get(r.path());
            checked.add(a);
            if (a.ok()) {
                out.add(RESOURCE.finding(
                        r.severity(),
                        "list " + r.resource(),
                        "GET " + r.path() + " answered " + a.code() + " without credentials: " + items(a) + " "
                                + r.resource() + " listed.",
                        List.of(a.exchange())));
            }
        }
        for (var a : checked) {
            if (a.answered() && a.code() != 401 && firstAuthenticated == null) {
                firstAuthenticated = a.exchange();
            }
        }
        if (firstAuthenticated != null) {
            out.add(AUTHENTICATED.finding(
                    "apiserver",
                    "A request without credentials to " + firstAuthenticated.url() + " got " + firstAuthenticated.code()
                            + ", not 401 Unauthorized: it was authenticated as system:anonymous.",
                    List.of(firstAuthenticated)));
        }
    }

    private static String items(Answer a) {
        var items = a.json().path("items");
        return items.isArray() ? String.valueOf(items.size()) : "some";
    }

    private static void noteUnexpected(Answer a, Findings out) {
        if (!a.answered()) {
            out.note(a.exchange().summary() + ": " + a.exchange().responseBody());
        }
    }
}
