package io.kubetwin.apiserver.api;

/**
 * A request failure that reaches the client as a Kubernetes Status body with the status's HTTP code.
 * Thrown or failed-with anywhere in the pipeline; written only by the status writer.
 */
public final class StatusException extends RuntimeException {
    private final transient Status status;

    public StatusException(Status status) {
        super(status.message(), null, false, false);
        this.status = status;
    }

    public Status status() {
        return status;
    }

    public int code() {
        return status.code();
    }
}
