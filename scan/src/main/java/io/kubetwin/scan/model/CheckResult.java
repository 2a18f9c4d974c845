package io.kubetwin.scan.model;

import java.util.List;

/**
 * What one check produced: its findings, or why it did not run, plus notes (an answer that was neither a yes nor a
 * no, a review the scanning user may not ask) that are not findings but belong in the report.
 *
 * @param check         the check's name
 * @param description   what the check asks of the cluster
 * @param skippedReason why the check did not run (null when it ran)
 * @param findings      what it found
 * @param notes         what it could not decide, with the reason
 * @param requests      how many requests it sent
 */
public record CheckResult(
        String check,
        String description,
        String skippedReason,
        List<Finding> findings,
        List<String> notes,
        int requests) {
    public CheckResult {
        findings = List.copyOf(findings);
        notes = List.copyOf(notes);
    }

    public static CheckResult skipped(String check, String description, String reason) {
        return new CheckResult(check, description, reason, List.of(), List.of(), 0);
    }

    public boolean skipped() {
        return skippedReason != null;
    }
}
