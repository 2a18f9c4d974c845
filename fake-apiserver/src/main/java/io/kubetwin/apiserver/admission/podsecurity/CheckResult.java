package io.kubetwin.apiserver.admission.podsecurity;

/**
 * One check's verdict (policy/checks.go CheckResult): a short reason always shown, and an optional detail
 * naming the offending containers, volumes or values.
 */
public record CheckResult(boolean allowed, String forbiddenReason, String forbiddenDetail) {

    static final CheckResult ALLOWED = new CheckResult(true, "", "");

    static CheckResult forbidden(String reason, String detail) {
        return new CheckResult(false, reason, detail);
    }
}
