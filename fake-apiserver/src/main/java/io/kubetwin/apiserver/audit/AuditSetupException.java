package io.kubetwin.apiserver.audit;

/** kube-apiserver would not start with these audit flags; the message is its start-up error. */
public final class AuditSetupException extends Exception {
    public AuditSetupException(String message) {
        super(message, null, false, false);
    }
}
