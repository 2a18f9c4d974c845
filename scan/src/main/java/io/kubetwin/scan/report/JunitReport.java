package io.kubetwin.scan.report;

import io.kubetwin.scan.model.ScanReport;
import java.time.Duration;

/**
 * JUnit XML for CI systems: one test case per finding (a failure carrying its evidence), one passing case per check
 * that found nothing, one skipped case per check that did not run.
 */
final class JunitReport {
    private JunitReport() {}

    static String render(ScanReport report) {
        int tests = 0;
        int failures = 0;
        int skipped = 0;
        var cases = new StringBuilder();
        for (var r : report.results()) {
            String classname = "kubetwin.scan." + r.check();
            if (r.skipped()) {
                tests++;
                skipped++;
                cases.append("    <testcase classname=\"")
                        .append(x(classname))
                        .append("\" name=\"")
                        .append(x(r.check()))
                        .append("\"><skipped message=\"")
                        .append(x(r.skippedReason()))
                        .append("\"/></testcase>\n");
                continue;
            }
            if (r.findings().isEmpty()) {
                tests++;
                cases.append("    <testcase classname=\"")
                        .append(x(classname))
                        .append("\" name=\"")
                        .append(x(r.check()))
                        .append("\"/>\n");
            }
            for (var f : r.findings()) {
                tests++;
                failures++;
                var body = new StringBuilder(f.detail()).append("\nMaps to: ").append(f.reference());
                f.evidence()
                        .forEach(e -> body.append("\n")
                                .append(e.identity())
                                .append(": ")
                                .append(e.summary())
                                .append("\n  ")
                                .append(
                                        e.responseBody() == null
                                                ? ""
                                                : e.responseBody().strip()));
                cases.append("    <testcase classname=\"")
                        .append(x(classname))
                        .append("\" name=\"")
                        .append(x(f.id() + " " + f.subject()))
                        .append("\"><failure type=\"")
                        .append(f.severity())
                        .append("\" message=\"")
                        .append(x(f.title()))
                        .append("\">")
                        .append(x(body.toString()))
                        .append("</failure></testcase>\n");
            }
        }
        double seconds = Duration.between(report.started(), report.finished()).toMillis() / 1000.0;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"kubetwin-scan "
                + x(report.server()) + "\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"0\" skipped=\""
                + skipped + "\" time=\"" + seconds + "\" timestamp=\"" + report.started() + "\">\n" + cases
                + "  </testsuite>\n</testsuites>\n";
    }

    /** XML text and attribute escaping; characters XML 1.0 forbids are dropped. */
    static String x(String s) {
        if (s == null) {
            return "";
        }
        var out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c == 0x9
                            || c == 0xA
                            || c == 0xD
                            || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD)
                            || c >= 0x10000) {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
