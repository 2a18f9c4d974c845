package io.kubetwin.scan.checks;

import io.kubetwin.scan.model.Finding;
import java.util.ArrayList;
import java.util.List;

/** Where a check puts what it found, and what it could not decide. Not thread-safe: one per check run. */
public final class Findings {
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public void add(Finding finding) {
        findings.add(finding);
    }

    /** Something the check could not decide, with why (not a finding). */
    public void note(String note) {
        notes.add(note);
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }
}
