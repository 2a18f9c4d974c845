package io.kubetwin.scan.report;

import io.kubetwin.scan.model.ScanReport;
import io.kubetwin.scan.model.Severity;
import java.util.Map;

/** One self-contained HTML page: a bar chart of findings per severity (inline SVG) and every finding's evidence. */
final class HtmlReport {
    private static final Map<Severity, String> COLOURS = Map.of(
            Severity.CRITICAL, "#7b1fa2",
            Severity.HIGH, "#c62828",
            Severity.MEDIUM, "#ef6c00",
            Severity.LOW, "#f9a825",
            Severity.INFO, "#1565c0");

    private HtmlReport() {}

    static String render(ScanReport report) {
        var h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>kubetwin scan: ")
                .append(esc(report.server()))
                .append(
                        "</title><style>body{font-family:sans-serif;margin:2em;max-width:70em}"
                                + "pre{background:#f5f5f5;padding:.5em;white-space:pre-wrap}"
                                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}</style></head><body>\n");
        h.append("<h1>kubetwin scan: ")
                .append(esc(report.server()))
                .append("</h1>\n<p>scanned as <code>")
                .append(esc(report.identity()))
                .append("</code> at ")
                .append(report.started())
                .append(report.writes() ? "; writes allowed" : "; read-only")
                .append("</p>\n");
        h.append(chart(report));
        h.append("<table><tr><th>check</th><th>outcome</th><th>findings</th><th>requests</th></tr>\n");
        for (var r : report.results()) {
            h.append("<tr><td>")
                    .append(esc(r.check()))
                    .append("</td><td>")
                    .append(r.skipped() ? "skipped: " + esc(r.skippedReason()) : "ran")
                    .append("</td><td>")
                    .append(r.findings().size())
                    .append("</td><td>")
                    .append(r.requests())
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (var r : report.results()) {
            if (r.skipped()) {
                continue;
            }
            h.append("<h2>")
                    .append(esc(r.check()))
                    .append("</h2>\n<p>")
                    .append(esc(r.description()))
                    .append("</p>\n");
            for (var f : r.findings()) {
                h.append("<h3 style=\"color:")
                        .append(COLOURS.get(f.severity()))
                        .append("\">")
                        .append(f.severity())
                        .append(' ')
                        .append(esc(f.id()))
                        .append(": ")
                        .append(esc(f.title()))
                        .append(" (")
                        .append(esc(f.subject()))
                        .append(")</h3>\n<p>")
                        .append(esc(f.detail()))
                        .append("<br>Maps to: ")
                        .append(esc(f.reference()))
                        .append("</p>\n");
                for (var e : f.evidence()) {
                    h.append("<pre>").append(esc(e.identity() + ": " + e.summary()));
                    if (e.requestBody() != null) {
                        h.append("\nrequest: ").append(esc(e.requestBody()));
                    }
                    h.append("\nanswer: ")
                            .append(esc(
                                    e.responseBody() == null
                                            ? ""
                                            : e.responseBody().strip()))
                            .append("</pre>\n");
                }
            }
            if (!r.notes().isEmpty()) {
                h.append("<ul>");
                r.notes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>"));
                h.append("</ul>\n");
            }
        }
        return h.append("</body></html>\n").toString();
    }

    /** Horizontal bars, one per severity, scaled to the largest count. */
    static String chart(ScanReport report) {
        var counts = report.countsBySeverity();
        int max = Math.max(
                1, counts.values().stream().mapToInt(Integer::intValue).max().orElse(1));
        int rowHeight = 26;
        int width = 420;
        var svg = new StringBuilder();
        svg.append(
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"findings per severity\" width=\"")
                .append(width + 160)
                .append("\" height=\"")
                .append(rowHeight * counts.size() + 10)
                .append("\">\n");
        int y = 5;
        for (var e : counts.entrySet()) {
            int bar = e.getValue() * width / max;
            svg.append("<text x=\"0\" y=\"")
                    .append(y + 17)
                    .append("\" font-size=\"13\">")
                    .append(e.getKey())
                    .append("</text>")
                    .append("<rect x=\"80\" y=\"")
                    .append(y)
                    .append("\" width=\"")
                    .append(bar)
                    .append("\" height=\"")
                    .append(rowHeight - 6)
                    .append("\" fill=\"")
                    .append(COLOURS.get(e.getKey()))
                    .append("\"/>")
                    .append("<text x=\"")
                    .append(86 + bar)
                    .append("\" y=\"")
                    .append(y + 17)
                    .append("\" font-size=\"13\">")
                    .append(e.getValue())
                    .append("</text>\n");
            y += rowHeight;
        }
        return svg.append("</svg>\n").toString();
    }

    static String esc(String s) {
        return s == null
                ? ""
                : s.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;");
    }
}
