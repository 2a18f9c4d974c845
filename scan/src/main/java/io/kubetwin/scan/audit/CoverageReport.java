package io.kubetwin.scan.audit;

import java.util.LinkedHashSet;
import java.util.List;

/** The coverage analysis of one or more policies as Markdown: verdicts per rule, then the cost table. */
public final class CoverageReport {
    private CoverageReport() {}

    public static String markdown(List<AuditPolicy> policies, List<DetectionRule> rules) {
        var md = new StringBuilder("# Audit-policy coverage\n\n");
        md.append("| rule | needs | ");
        policies.forEach(p -> md.append(p.name()).append(" | "));
        md.append("\n|---|---|");
        policies.forEach(p -> md.append("---|"));
        md.append('\n');
        for (var rule : rules) {
            md.append("| ").append(rule.id()).append(" | ").append(rule.needs()).append(" | ");
            for (var p : policies) {
                md.append(CoverageAnalysis.coverage(p, rule).verdict()).append(" | ");
            }
            md.append('\n');
        }
        for (var p : policies) {
            md.append("\n## ").append(p.name()).append("\n\n");
            for (var c : CoverageAnalysis.coverage(p, rules)) {
                if (c.verdict() != CoverageAnalysis.Verdict.ALIVE) {
                    md.append("- ")
                            .append(c.rule().id())
                            .append(" (")
                            .append(c.verdict())
                            .append("): blind for ")
                            .append(String.join("; ", c.blindFor()))
                            .append('\n');
                }
            }
            md.append("\n| request | level | events per request |\n|---|---|---|\n");
            var requests = new LinkedHashSet<RequestClass>(CoverageAnalysis.everydayTraffic());
            rules.forEach(r -> requests.addAll(r.watches()));
            for (var r : requests) {
                var cost = CoverageAnalysis.cost(p, r);
                md.append("| ")
                        .append(r.label())
                        .append(" | ")
                        .append(cost.level())
                        .append(" | ")
                        .append(cost.events())
                        .append(" |\n");
            }
        }
        return md.toString();
    }
}
