package io.kubetwin.apiserver.impersonation;

/**
 * One thing a request asks to impersonate, as the v1.ObjectReference upstream builds for it
 * (kind User, ServiceAccount, Group, UserExtra with the extra key in fieldPath, or UID).
 */
public record ImpersonationRequest(
        String kind,
        String namespace,
        String name,
        String uid,
        String apiVersion,
        String resourceVersion,
        String fieldPath) {

    static ImpersonationRequest of(String kind, String namespace, String name, String apiVersion, String fieldPath) {
        return new ImpersonationRequest(kind, namespace, name, "", apiVersion, "", fieldPath);
    }

    /** Go's {@code %v} of the ObjectReference struct: its fields in declaration order, space-separated, in braces. */
    public String goValue() {
        return "{" + String.join(" ", kind, namespace, name, uid, apiVersion, resourceVersion, fieldPath) + "}";
    }
}
