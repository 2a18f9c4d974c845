package io.kubetwin.junit;

import java.util.List;
import java.util.Map;

/**
 * One {@code audit.k8s.io/v1} Event as the fake apiserver wrote it, with the fields tests look at most. The whole
 * event is in {@link #json()}. The lists and maps are unmodifiable.
 *
 * @param auditId {@code auditID}
 * @param stage {@code stage}: {@code RequestReceived}, {@code ResponseStarted}, {@code ResponseComplete} or
 *     {@code Panic}
 * @param level {@code level}: {@code Metadata}, {@code Request} or {@code RequestResponse}
 * @param verb {@code verb}, such as {@code create} or {@code list}
 * @param requestUri {@code requestURI}
 * @param user {@code user.username}
 * @param groups {@code user.groups}
 * @param impersonatedUser {@code impersonatedUser.username}, or empty
 * @param apiGroup {@code objectRef.apiGroup}, empty for the core group or without an object
 * @param resource {@code objectRef.resource}, empty for non-resource requests
 * @param subresource {@code objectRef.subresource}, or empty
 * @param namespace {@code objectRef.namespace}, or empty
 * @param name {@code objectRef.name}, or empty
 * @param code {@code responseStatus.code}, 0 before a response exists
 * @param annotations {@code annotations}, such as {@code authorization.k8s.io/decision}
 * @param json the event as one line of JSON, exactly as logged
 */
public record AuditRecord(
        String auditId,
        String stage,
        String level,
        String verb,
        String requestUri,
        String user,
        List<String> groups,
        String impersonatedUser,
        String apiGroup,
        String resource,
        String subresource,
        String namespace,
        String name,
        int code,
        Map<String, String> annotations,
        String json) {
    /** The annotation with the authorizer's decision. */
    public static final String DECISION = "authorization.k8s.io/decision";
    /** The annotation with the authorizer's reason. */
    public static final String REASON = "authorization.k8s.io/reason";

    /**
     * The authorizer's decision: {@code allow} or {@code forbid}.
     *
     * @return the {@code authorization.k8s.io/decision} annotation, or empty when the request was not authorized
     *     (rejected before, or audited before the decision)
     */
    public String decision() {
        return annotations.getOrDefault(DECISION, "");
    }

    /**
     * The authorizer's reason, such as the RBAC binding that allowed the request.
     *
     * @return the {@code authorization.k8s.io/reason} annotation, or empty
     */
    public String reason() {
        return annotations.getOrDefault(REASON, "");
    }

    /** One line for failure messages: stage, verb, resource, object, user, code and decision. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(stage).append(' ').append(verb).append(' ');
        b.append(resource.isEmpty() ? requestUri : resource + (subresource.isEmpty() ? "" : "/" + subresource));
        if (!namespace.isEmpty() || !name.isEmpty()) {
            b.append(' ').append(namespace.isEmpty() || name.isEmpty() ? namespace + name : namespace + "/" + name);
        }
        b.append(" user=").append(user);
        if (!impersonatedUser.isEmpty()) {
            b.append(" as=").append(impersonatedUser);
        }
        if (code != 0) {
            b.append(" code=").append(code);
        }
        if (!decision().isEmpty()) {
            b.append(" decision=").append(decision());
        }
        return b.toString();
    }
}
