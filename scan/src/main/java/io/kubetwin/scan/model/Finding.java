package io.kubetwin.scan.model;

import java.util.List;
import java.util.Objects;

/**
 * One thing the cluster was seen to allow that it should not, with the requests and answers that prove it.
 *
 * @param id        the stable rule id, e.g. {@code KT-ANON-RESOURCE} (a SARIF ruleId)
 * @param title     what the rule is about, the same for every finding of the rule
 * @param severity  how bad it is
 * @param reference the CIS Kubernetes Benchmark control or seed-article section the rule maps to
 * @param subject   what the finding is about on this cluster: a user, a namespace, a path, an image
 * @param detail    one or two sentences on what was observed
 * @param evidence  the exchanges that prove it, in the order they were sent
 */
public record Finding(
        String id,
        String title,
        Severity severity,
        String reference,
        String subject,
        String detail,
        List<Exchange> evidence) {
    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        evidence = List.copyOf(evidence);
    }

    /** {@code id subject}: what the CI proof compares, one line per finding. */
    public String key() {
        return id + " " + subject;
    }
}
