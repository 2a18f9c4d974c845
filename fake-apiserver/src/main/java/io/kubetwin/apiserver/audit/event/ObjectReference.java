package io.kubetwin.apiserver.audit.event;

/**
 * The {@code objectRef} of an event: what a resource request addressed (audit.k8s.io/v1 ObjectReference).
 * {@code apiGroup} is empty for the core group; every empty field is omitted from JSON.
 */
public record ObjectReference(
        String resource,
        String namespace,
        String name,
        String uid,
        String apiGroup,
        String apiVersion,
        String resourceVersion,
        String subresource) {
    public ObjectReference {
        resource = nz(resource);
        namespace = nz(namespace);
        name = nz(name);
        uid = nz(uid);
        apiGroup = nz(apiGroup);
        apiVersion = nz(apiVersion);
        resourceVersion = nz(resourceVersion);
        subresource = nz(subresource);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    public ObjectReference withName(String value) {
        return new ObjectReference(resource, namespace, value, uid, apiGroup, apiVersion, resourceVersion, subresource);
    }

    public ObjectReference withNamespace(String value) {
        return new ObjectReference(resource, value, name, uid, apiGroup, apiVersion, resourceVersion, subresource);
    }

    public ObjectReference withUid(String value) {
        return new ObjectReference(
                resource, namespace, name, value, apiGroup, apiVersion, resourceVersion, subresource);
    }

    public ObjectReference withResourceVersion(String value) {
        return new ObjectReference(resource, namespace, name, uid, apiGroup, apiVersion, value, subresource);
    }
}
