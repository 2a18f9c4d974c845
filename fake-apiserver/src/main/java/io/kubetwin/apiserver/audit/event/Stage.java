package io.kubetwin.apiserver.audit.event;

/**
 * When in a request's life an event is written: audit.k8s.io/v1 {@code Stage}
 * (k8s.io/apiserver/pkg/apis/audit/v1/types.go). Declared in upstream's order, which is also the
 * order validation messages list them in.
 */
public enum Stage {
    /** As soon as the audit stage sees the request, before it is handled. */
    REQUEST_RECEIVED("RequestReceived"),
    /** When the response headers are sent; only for long-running requests (watch, exec, logs...). */
    RESPONSE_STARTED("ResponseStarted"),
    /** When the response is complete. */
    RESPONSE_COMPLETE("ResponseComplete"),
    /** When the handler failed with an unexpected error. */
    PANIC("Panic");

    private final String wire;

    Stage(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The stage spelled {@code wire}, or null when it is not one. */
    public static Stage fromWire(String wire) {
        for (Stage s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return wire;
    }
}
