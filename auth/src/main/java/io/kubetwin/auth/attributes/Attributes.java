package io.kubetwin.auth.attributes;

/**
 * What an authorizer decides on: who, and what they ask for. Mirrors authorizer.Attributes in
 * k8s.io/apiserver/pkg/authorization/authorizer/interfaces.go. The same value is recorded by audit.
 *
 * @param fieldSelector the raw {@code fieldSelector} of a list, watch or deletecollection, "" otherwise
 *                      (AuthorizeWithSelectors: the Node authorizer lets a kubelet list only its own pods)
 */
public record Attributes(
        UserInfo user,
        String verb,
        boolean resourceRequest,
        String path,
        String namespace,
        String apiGroup,
        String apiVersion,
        String resource,
        String subresource,
        String name,
        String fieldSelector) {

    public Attributes {
        verb = nz(verb);
        path = nz(path);
        namespace = nz(namespace);
        apiGroup = nz(apiGroup);
        apiVersion = nz(apiVersion);
        resource = nz(resource);
        subresource = nz(subresource);
        name = nz(name);
        fieldSelector = nz(fieldSelector);
    }

    /** Attributes without a field selector. */
    public Attributes(
            UserInfo user,
            String verb,
            boolean resourceRequest,
            String path,
            String namespace,
            String apiGroup,
            String apiVersion,
            String resource,
            String subresource,
            String name) {
        this(user, verb, resourceRequest, path, namespace, apiGroup, apiVersion, resource, subresource, name, "");
    }

    public static Attributes resource(
            UserInfo user,
            String verb,
            String apiGroup,
            String resource,
            String subresource,
            String namespace,
            String name) {
        return new Attributes(
                user, verb, true, "", nz(namespace), nz(apiGroup), "*", nz(resource), nz(subresource), nz(name));
    }

    public static Attributes nonResource(UserInfo user, String verb, String path) {
        return new Attributes(user, verb, false, path, "", "", "", "", "", "");
    }

    public Attributes withUser(UserInfo other) {
        return new Attributes(
                other,
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

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
