package io.kubetwin.apiserver.request;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.List;

/**
 * What a request asks for, derived from its method and URL alone, as
 * k8s.io/apiserver/pkg/endpoints/request/requestinfo.go derives it. Shared by authorization,
 * audit and the resource handlers.
 *
 * @param resourceRequest true for /api/v1/... and /apis/GROUP/VERSION/... requests that name a resource
 * @param path the URL path as sent
 * @param verb the API verb (get, list, watch, create, update, patch, delete, deletecollection, proxy) for
 *             resource requests; the lower-case HTTP method for non-resource requests
 * @param apiPrefix "api" or "apis" for resource requests, else ""
 * @param parts the path segments after the namespace re-basing (resource, name, subresource, ...)
 * @param fieldSelector raw fieldSelector query value for list/watch/deletecollection, else ""
 * @param labelSelector raw labelSelector query value for list/watch/deletecollection, else ""
 */
public record RequestInfo(
        boolean resourceRequest,
        String path,
        String verb,
        String apiPrefix,
        String apiGroup,
        String apiVersion,
        String namespace,
        String resource,
        String subresource,
        String name,
        List<String> parts,
        String fieldSelector,
        String labelSelector) {

    public RequestInfo {
        parts = List.copyOf(parts);
    }

    public static RequestInfo nonResource(String path, String verb) {
        return new RequestInfo(false, path, verb, "", "", "", "", "", "", "", List.of(), "", "");
    }

    /** The resource with its subresource, as RBAC and audit print it: {@code pods/log}. */
    public String resourceWithSubresource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    public boolean isNamespaced() {
        return !namespace.isEmpty();
    }

    /** The authorization attributes of this request made by {@code user} (null before authentication). */
    public Attributes attributesFor(UserInfo user) {
        return new Attributes(
                user,
                verb,
                resourceRequest,
                path,
                namespace,
                apiGroup,
                apiVersion,
                resource,
                subresource,
                name,
                fieldSelector);
    }
}
