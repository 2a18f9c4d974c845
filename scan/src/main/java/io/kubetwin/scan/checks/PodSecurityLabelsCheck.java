package io.kubetwin.scan.checks;

import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.Severity;
import java.util.List;

/**
 * The Pod Security Admission level each namespace enforces, from its {@code pod-security.kubernetes.io/enforce}
 * label. A cluster-wide default in the PodSecurity AdmissionConfiguration is not visible through the API; the
 * admission check (with writes allowed) measures what is actually refused.
 */
public final class PodSecurityLabelsCheck implements Check {
    static final String LABEL = "pod-security.kubernetes.io/enforce";
    static final String CIS = "CIS 5.2.1 (at least one active policy control mechanism); CIS 5.2.2-5.2.9";

    static final Rule UNLABELLED = new Rule(
            "KT-PSA-UNENFORCED",
            "Namespace enforces no Pod Security level",
            Severity.MEDIUM,
            CIS,
            "Label the namespace pod-security.kubernetes.io/enforce=baseline (or restricted).");
    static final Rule PRIVILEGED = new Rule(
            "KT-PSA-PRIVILEGED",
            "Namespace enforces the privileged Pod Security level",
            Severity.MEDIUM,
            CIS,
            "privileged allows host namespaces, host paths and privileged containers; keep it to system namespaces.");

    @Override
    public String name() {
        return "podsecurity-labels";
    }

    @Override
    public String description() {
        return "The pod-security.kubernetes.io/enforce level of each namespace";
    }

    @Override
    public List<Rule> rules() {
        return List.of(UNLABELLED, PRIVILEGED);
    }

    @Override
    public void run(ScanContext context, Findings out) {
        var namespaces = Namespaces.list(context, out);
        if (namespaces == null) {
            return;
        }
        for (var namespace : namespaces.items()) {
            var ns = Namespaces.name(namespace);
            var level = namespace.path("metadata").path("labels").path(LABEL);
            if (level.isMissingNode()) {
                out.add(UNLABELLED.finding(
                        ns,
                        "Namespace " + ns + " has no " + LABEL + " label.",
                        List.of(namespaces.answer().exchange())));
            } else if ("privileged".equals(level.asText())) {
                out.add(PRIVILEGED.finding(
                        ns,
                        "Namespace " + ns + " has " + LABEL + "=privileged.",
                        List.of(namespaces.answer().exchange())));
            }
        }
    }
}
