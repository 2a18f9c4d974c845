package io.kubetwin.scan.report;

import io.kubetwin.scan.model.Exchange;
import io.kubetwin.scan.model.Finding;
import io.kubetwin.scan.model.ScanReport;
import java.time.Duration;

/** The report for people: summary, one section per check, every finding with its evidence. */
final class MarkdownReport {
    private MarkdownReport() {}

    static String render(ScanReport report) {
        var md = new StringBuilder();
        md.append("# kubetwin scan: ").append(report.server()).append("\n\n");
        md.append("- scanned as: `").append(report.identity()).append("`\n");
        md.append("- started: ")
                .append(report.started())
                .append(" (")
                .append(Duration.between(report.started(), report.finished()).toMillis())
                .append(" ms)\n");
        md.append("- writes: ")
                .append(report.writes() ? "allowed (dry-run pods in a scratch namespace)" : "none (read-only)")
                .append("\n\n");
        md.append("| severity | findings |\n|---|---|\n");
        report.countsBySeverity()
                .forEach((s, n) ->
                        md.append("| ").append(s).append(" | ").append(n).append(" |\n"));
        md.append("\n| check | outcome | findings | requests |\n|---|---|---|---|\n");
        for (var r : report.results()) {
            md.append("| ")
                    .append(r.check())
                    .append(" | ")
                    .append(r.skipped() ? "skipped: " + r.skippedReason() : "ran")
                    .append(" | ")
                    .append(r.findings().size())
                    .append(" | ")
                    .append(r.requests())
                    .append(" |\n");
        }
        for (var r : report.results()) {
            md.append("\n## ")
                    .append(r.check())
                    .append("\n\n")
                    .append(r.description())
                    .append(".\n");
            if (r.skipped()) {
                md.append("\nSkipped: ").append(r.skippedReason()).append(".\n");
                continue;
            }
            if (r.findings().isEmpty()) {
                md.append("\nNo findings.\n");
            }
            for (var f : r.findings()) {
                finding(md, f);
            }
            if (!r.notes().isEmpty()) {
                md.append("\nNotes:\n");
                r.notes().forEach(n -> md.append("- ").append(n).append('\n'));
            }
        }
        return md.toString();
    }

    private static void finding(StringBuilder md, Finding f) {
        md.append("\n### ")
                .append(f.severity())
                .append(" ")
                .append(f.id())
                .append(": ")
                .append(f.title())
                .append(" (")
                .append(f.subject())
                .append(")\n\n");
        md.append(f.detail()).append("\n\nMaps to: ").append(f.reference()).append("\n");
        for (Exchange e : f.evidence()) {
            md.append("\n```\n").append(e.identity()).append(": ").append(e.summary());
            if (e.auditId() != null) {
                md.append("   Audit-ID: ").append(e.auditId());
            }
            md.append('\n');
            if (e.requestBody() != null) {
                md.append("request: ").append(e.requestBody()).append('\n');
            }
            md.append("answer: ")
                    .append(e.responseBody() == null ? "" : e.responseBody().strip())
                    .append("\n```\n");
        }
    }
}
