package io.kubetwin.scan.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
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

    /**
     * The request an audit event records, as the policy checker saw it: the authenticated user (not the impersonated
     * one: kube-apiserver's audit filter runs before impersonation), its groups, the verb, and the objectRef of a
     * resource request or the path (without query) of a non-resource one.
     */
    public static RequestClass of(JsonNode event) {
        var user = event.path("user");
        var groups = new ArrayList<String>();
        user.path("groups").forEach(g -> groups.add(g.asText()));
        String verb = event.path("verb").asText();
        String uri = event.path("requestURI").asText();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        String label = verb + " " + path + " by " + user.path("username").asText();
        if (!event.has("objectRef")) {
            return new RequestClass(label, user.path("username").asText(), groups, verb, "", "", "", "", "", path);
        }
        var ref = event.path("objectRef");
        return new RequestClass(
                label,
                user.path("username").asText(),
                groups,
                verb,
                ref.path("apiGroup").asText(""),
                ref.path("resource").asText(""),
                ref.path("subresource").asText(""),
                ref.path("namespace").asText(""),
                ref.path("name").asText(""),
                null);
    }

    /** The same request sent by someone else. */
    public RequestClass as(String label, String user, List<String> groups) {
        return new RequestClass(label, user, groups, verb, group, resource, subresource, namespace, name, path);
    }
}
