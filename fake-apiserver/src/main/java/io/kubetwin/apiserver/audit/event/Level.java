package io.kubetwin.apiserver.audit.event;

/**
 * How much of a request is recorded: audit.k8s.io/v1 {@code Level}
 * (k8s.io/apiserver/pkg/apis/audit/v1/types.go). Declared from least to most detailed, so that
 * {@link #atLeast(Level)} is the upstream {@code GreaterOrEqual}.
 */
public enum Level {
    /** No event. */
    NONE("None"),
    /** User, request metadata, objectRef, responseStatus and annotations; no bodies. */
    METADATA("Metadata"),
    /** Metadata plus the request body. */
    REQUEST("Request"),
    /** Metadata plus request and response bodies. */
    REQUEST_RESPONSE("RequestResponse");

    private final String wire;

    Level(String wire) {
        this.wire = wire;
    }

    /** The spelling in policies and events, e.g. {@code RequestResponse}. */
    public String wire() {
        return wire;
    }

    public boolean atLeast(Level other) {
        return compareTo(other) >= 0;
    }

    /** The level spelled {@code wire}, or null when it is not one (validation reports it). */
    public static Level fromWire(String wire) {
        for (Level l : values()) {
            if (l.wire.equals(wire)) {
                return l;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return wire;
    }
}
