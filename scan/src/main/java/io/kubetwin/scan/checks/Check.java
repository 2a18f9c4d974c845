package io.kubetwin.scan.checks;

import io.kubetwin.scan.model.Rule;
import java.util.List;
import java.util.Optional;

/**
 * One behavioural check: it asks the cluster (or a kubelet, or etcd) something and reports what it was allowed to
 * do. Checks run one after the other on the scan's thread; they must not throw for an answer they did not expect
 * (that is a note), only for a bug.
 */
public interface Check {

    /** Short name, e.g. {@code anonymous-reach}; a JUnit test case and a report section. */
    String name();

    /** What the check asks, one sentence. */
    String description();

    /** Every rule the check can report, whether or not it finds anything. */
    List<Rule> rules();

    /** Why the check cannot run with these options (no kubelet URL given, writes not allowed), else empty. */
    default Optional<String> skipReason(ScanContext context) {
        return Optional.empty();
    }

    /** Runs the check, adding findings and notes to {@code out}. */
    void run(ScanContext context, Findings out);
}
