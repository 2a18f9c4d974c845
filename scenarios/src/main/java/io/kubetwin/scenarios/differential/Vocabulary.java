package io.kubetwin.scenarios.differential;

import java.util.List;
import java.util.Set;

/** The names random worlds and questions draw from. Small on purpose, so that rules and questions collide. */
final class Vocabulary {

    /** A resource as RBAC sees it. */
    record Resource(String group, String resource, boolean namespaced, List<String> subresources) {
        String groupPrefix() {
            return group.isEmpty() ? "/api/v1" : "/apis/" + group + "/" + version();
        }

        String version() {
            return switch (group) {
                case "" -> "v1";
                case "example.com" -> "v1alpha1";
                default -> "v1";
            };
        }
    }

    static final List<Resource> RESOURCES = List.of(
            new Resource("", "pods", true, List.of("log", "exec", "status")),
            new Resource("", "secrets", true, List.of()),
            new Resource("", "configmaps", true, List.of()),
            new Resource("", "services", true, List.of("proxy", "status")),
            new Resource("", "serviceaccounts", true, List.of("token")),
            new Resource("", "namespaces", false, List.of("status", "finalize")),
            new Resource("", "nodes", false, List.of("proxy", "status")),
            new Resource("apps", "deployments", true, List.of("scale", "status")),
            new Resource("batch", "jobs", true, List.of("status")),
            new Resource("rbac.authorization.k8s.io", "roles", true, List.of()),
            new Resource("rbac.authorization.k8s.io", "clusterroles", false, List.of()),
            new Resource("example.com", "widgets", true, List.of("scale")));

    /**
     * Resources that every target serves, so that a real request's answer depends on the authorization
     * decision alone (the fake serves a subset of the API: an allowed request for what it does not serve is
     * a 404 there). Other resources are asked about through SubjectAccessReviews only.
     */
    static final Set<String> SERVED_EVERYWHERE =
            Set.of("pods", "secrets", "configmaps", "serviceaccounts", "namespaces", "nodes", "roles", "clusterroles");

    /** Subresources every target serves for a GET of a missing object. */
    static final Set<String> SERVED_SUBRESOURCES = Set.of("status");

    /** Non-resource paths every target serves the same way (the fake serves neither /openapi/v2, /metrics nor /logs). */
    static final Set<String> REAL_NON_RESOURCE_PATHS =
            Set.of("/healthz", "/version", "/api", "/api/v1", "/livez", "/custom");

    static final List<String> VERBS = List.of(
            "get",
            "list",
            "watch",
            "create",
            "update",
            "patch",
            "delete",
            "deletecollection",
            "impersonate",
            "escalate",
            "bind",
            "use");

    static final List<String> NAMES = List.of("alpha", "beta", "gamma");

    static final List<String> NON_RESOURCE_URLS =
            List.of("/healthz", "/metrics", "/version", "/logs/*", "/api/*", "/custom", "/custom/*", "/livez");

    static final List<String> NON_RESOURCE_PATHS = List.of(
            "/healthz",
            "/healthz/etcd",
            "/metrics",
            "/version",
            "/logs",
            "/logs/kube.log",
            "/api",
            "/api/v1",
            "/custom",
            "/custom/deep/path",
            "/livez",
            "/openapi/v2");

    static final List<String> NON_RESOURCE_VERBS = List.of("get", "post", "put", "delete", "head");

    private Vocabulary() {}
}
