package io.kubetwin.scan.audit;

/** audit.k8s.io/v1 levels, in increasing order of what an event carries. */
public enum AuditLevel {
    None,
    Metadata,
    Request,
    RequestResponse;

    /** Whether events at this level carry what {@code needed} carries. */
    public boolean covers(AuditLevel needed) {
        return compareTo(needed) >= 0;
    }
}
