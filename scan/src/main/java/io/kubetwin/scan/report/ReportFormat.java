package io.kubetwin.scan.report;

import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.ScanReport;
import java.util.List;
import java.util.Locale;

/** The report formats of {@code --format}, each with its file name and writer. */
public enum ReportFormat {
    MD("scan-report.md"),
    HTML("scan-report.html"),
    JUNIT("scan-junit.xml"),
    SARIF("scan-report.sarif");

    private final String fileName;

    ReportFormat(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /** The report as text; {@code rules} are every rule of the checks that ran (SARIF lists them). */
    public String render(ScanReport report, List<Rule> rules) {
        return switch (this) {
            case MD -> MarkdownReport.render(report);
            case HTML -> HtmlReport.render(report);
            case JUNIT -> JunitReport.render(report);
            case SARIF -> SarifReport.render(report, rules);
        };
    }

    /** {@code md}, {@code html}, {@code junit}, {@code sarif}, case-insensitive. */
    public static ReportFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown report format " + name + " (md, html, junit, sarif)");
        }
    }
}
