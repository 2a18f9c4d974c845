package io.kubetwin.apiserver.audit;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.UUID;

/**
 * What the chain's first stage does for audit: mirrors WithAuditInit in
 * k8s.io/apiserver/pkg/endpoints/filters/audit_init.go. The audit ID is the client's {@code Audit-ID} header,
 * kept verbatim (not truncated), or a new random UUID; it is echoed in the {@code Audit-Id} response header
 * unless that is already set.
 * <pre>{@code
 * String id = AuditInit.auditId(rc.request());
 * RequestState.attach(rc, id, Instant.now());
 * AuditInit.echo(rc.response(), id);
 * }</pre>
 */
public final class AuditInit {
    public static final String HEADER = "Audit-ID";

    private AuditInit() {}

    public static String auditId(HttpServerRequest request) {
        String id = request.getHeader(HEADER);
        return id == null || id.isEmpty() ? UUID.randomUUID().toString() : id;
    }

    /** Sets the response header (written {@code Audit-Id}, as Go canonicalises it) if it is not set yet. */
    public static void echo(HttpServerResponse response, String auditId) {
        if (response.headers().get(HEADER) == null) {
            response.putHeader("Audit-Id", auditId);
        }
    }
}
