package io.kubetwin.scan.model;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A whole scan: the target, who scanned, when, and every check's result in the order the checks ran.
 *
 * @param server    the apiserver URL
 * @param identity  the kubeconfig's user as the server sees it ({@code SelfSubjectReview}), or the kubeconfig name
 * @param started   when the scan began
 * @param finished  when it ended
 * @param writes    whether checks that create objects (dry-run pods, a scratch namespace) were allowed
 * @param results   each check's result
 */
public record ScanReport(
        String server, String identity, Instant started, Instant finished, boolean writes, List<CheckResult> results) {
    public ScanReport {
        results = List.copyOf(results);
    }

    public List<Finding> findings() {
        return results.stream().flatMap(r -> r.findings().stream()).toList();
    }

    /** Findings per severity, every severity present (zero when none). */
    public Map<Severity, Integer> countsBySeverity() {
        var counts = new EnumMap<Severity, Integer>(Severity.class);
        for (var s : Severity.values()) {
            counts.put(s, 0);
        }
        findings().forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
        return counts;
    }
}
