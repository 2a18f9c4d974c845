package io.kubetwin.scan.audit;

import java.util.List;

/**
 * A kind of request, as the audit policy sees it (the authorizer attributes k8s.io/apiserver's policy checker reads):
 * who sends it and what it asks. {@code path} is set for non-resource requests only.
 *
 * @param label      short description, e.g. {@code exec into a pod, as a service account}
 * @param user       user name
 * @param groups     groups
 * @param verb       the request verb (get, list, watch, create, ...)
 * @param group      API group of a resource request
 * @param resource   resource of a resource request
 * @param subresource subresource, or ""
 * @param namespace  namespace, or "" (cluster-scoped)
 * @param name       object name, or ""
 * @param path       the path of a non-resource request, else null
 */
public record RequestClass(
        String label,
        String user,
        List<String> groups,
        String verb,
        String group,
        String resource,
        String subresource,
        String namespace,
        String name,
        String path) {
    public RequestClass {
        groups = List.copyOf(groups);
    }

    public boolean resourceRequest() {
        return path == null;
    }

    /** A resource request. */
    public static RequestClass resource(
            String label,
            String user,
            List<String> groups,
            String verb,
            String group,
            String resource,
            String subresource,
            String namespace) {
        return new RequestClass(label, user, groups, verb, group, resource, subresource, namespace, "", null);
    }

    /** A non-resource request (verb {@code get}). */
    public static RequestClass path(String label, String user, List<String> groups, String path) {
        return new RequestClass(label, user, groups, "get", "", "", "", "", "", path);
    }

    /** The same request sent by someone else. */
    public RequestClass as(String label, String user, List<String> groups) {
        return new RequestClass(label, user, groups, verb, group, resource, subresource, namespace, name, path);
    }
}
