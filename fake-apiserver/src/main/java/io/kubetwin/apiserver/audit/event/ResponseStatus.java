package io.kubetwin.apiserver.audit.event;

import io.kubetwin.apiserver.api.Status;

/**
 * The {@code responseStatus} of an event: a metav1.Status without kind and apiVersion. On success only the
 * code is set ({@code {"metadata":{},"code":200}}); for an error Status body, kube-apiserver copies its
 * status, message, reason, details and code (pkg/audit/context.go LogResponseObject).
 *
 * @param details null when absent; an empty Details prints {@code "details":{}}
 * @param code 0 is omitted from JSON, as Go's omitempty does
 */
public record ResponseStatus(String status, String message, String reason, Status.Details details, int code) {
    public ResponseStatus {
        status = status == null ? "" : status;
        message = message == null ? "" : message;
        reason = reason == null ? "" : reason;
    }

    public static ResponseStatus code(int code) {
        return new ResponseStatus("", "", "", null, code);
    }

    /** The bounded copy kube-apiserver keeps of an error Status it wrote. */
    public static ResponseStatus of(Status s) {
        return new ResponseStatus(s.status(), s.message(), s.reason(), s.details(), s.code());
    }

    public ResponseStatus withMessage(String value) {
        return new ResponseStatus(status, value, reason, details, code);
    }

    public ResponseStatus withCode(int value) {
        return new ResponseStatus(status, message, reason, details, value);
    }
}
