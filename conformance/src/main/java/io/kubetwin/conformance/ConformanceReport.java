package io.kubetwin.conformance;

import io.kubetwin.scenarios.compare.Difference;
import io.kubetwin.scenarios.runner.StepOutcome;
import io.kubetwin.scenarios.runner.StepResult;
import io.kubetwin.scenarios.runner.SuiteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects suite results and differences and writes {@code report.md}, {@code report.html} (scenario by
 * scenario, target by target, each difference as expected/actual) and {@code junit-<target>.xml}. Thread-safe.
 */
public final class ConformanceReport {

    /** A difference and the known-divergence entry accepting it (null when it fails the build). */
    public record Judged(Difference difference, KnownDivergences.Entry accepted) {}

    private final List<String> targets;
    private final KnownDivergences known;
    private final Map<String, Map<String, SuiteResult>> results = new LinkedHashMap<>();
    private final Map<String, List<Judged>> differences = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    public ConformanceReport(List<String> targets, KnownDivergences known) {
        this.targets = List.copyOf(targets);
        this.known = known;
    }

    public synchronized void add(SuiteResult result) {
        results.computeIfAbsent(result.suite().name(), k -> new LinkedHashMap<>())
                .put(result.target(), result);
    }

    public synchronized List<Judged> addDifferences(String suite, List<Difference> found) {
        var judged = found.stream()
                .map(d -> new Judged(d, known.accepting(d).orElse(null)))
                .toList();
        differences.computeIfAbsent(suite, k -> new ArrayList<>()).addAll(judged);
        return judged;
    }

    public synchronized void note(String line) {
        notes.add(line);
    }

    public synchronized void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.md"), markdown());
            Files.writeString(dir.resolve("report.html"), html());
            for (var target : targets) {
                Files.writeString(dir.resolve("junit-" + target + ".xml"), junit(target));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String outcome(StepResult r) {
        if (r == null) {
            return "—";
        }
        return r.outcome().label();
    }

    static String detail(StepResult r) {
        if (r == null) {
            return "";
        }
        return r.outcome().detail();
    }

    private int[] counts(String target) {
        int passed = 0, failed = 0, skipped = 0;
        for (var byTarget : results.values()) {
            var r = byTarget.get(target);
            if (r == null) {
                continue;
            }
            for (var s : r.steps()) {
                if (s.outcome() instanceof StepOutcome.Passed) {
                    passed++;
                } else if (s.outcome() instanceof StepOutcome.Failed) {
                    failed++;
                } else {
                    skipped++;
                }
            }
        }
        return new int[] {passed, failed, skipped};
    }

    private long unacceptedDifferences() {
        return differences.values().stream()
                .flatMap(List::stream)
                .filter(j -> j.accepted() == null)
                .count();
    }

    String markdown() {
        var md = new StringBuilder("# kubetwin conformance report\n\n");
        md.append("Generated ")
                .append(Instant.now())
                .append(". Targets: ")
                .append(String.join(", ", targets))
                .append(".\n\n");
        md.append("| target | passed | failed | skipped |\n|---|---|---|---|\n");
        for (var t : targets) {
            var c = counts(t);
            md.append("| ")
                    .append(t)
                    .append(" | ")
                    .append(c[0])
                    .append(" | ")
                    .append(c[1])
                    .append(" | ")
                    .append(c[2])
                    .append(" |\n");
        }
        md.append("\nDifferences not in known-divergences.yaml: **")
                .append(unacceptedDifferences())
                .append("**; known divergences: ")
                .append(known.divergences().size())
                .append(".\n");
        for (var n : notes) {
            md.append("\n> ").append(n).append('\n');
        }
        if (!known.divergences().isEmpty()) {
            md.append("\n## Known divergences\n\n| suite | step | field | target | reason |\n|---|---|---|---|---|\n");
            for (var e : known.divergences()) {
                md.append("| ")
                        .append(cell(e.suite()))
                        .append(" | ")
                        .append(cell(e.step()))
                        .append(" | `")
                        .append(cell(e.field()))
                        .append("` | ")
                        .append(e.target() == null ? "all" : e.target())
                        .append(" | ")
                        .append(cell(e.reason()))
                        .append(" |\n");
            }
        }
        if (!known.limitations().isEmpty()) {
            md.append(
                    "\n## Known limitations of the fake\n\n| area | difference from kube-apiserver | reason |\n|---|---|---|\n");
            for (var l : known.limitations()) {
                md.append("| ")
                        .append(cell(l.area()))
                        .append(" | ")
                        .append(cell(l.difference()))
                        .append(" | ")
                        .append(cell(l.reason()))
                        .append(" |\n");
            }
        }
        for (var entry : results.entrySet()) {
            var suite = entry.getKey();
            var byTarget = entry.getValue();
            var any = byTarget.values().iterator().next();
            md.append("\n## ").append(suite).append("\n\n");
            if (any.suite().description() != null) {
                md.append(any.suite().description().strip()).append("\n\n");
            }
            if (any.suite().source() != null) {
                md.append("Source: ").append(any.suite().source().strip()).append("\n\n");
            }
            md.append("| target | cluster | wall time |\n|---|---|---|\n");
            for (var t : targets) {
                var r = byTarget.get(t);
                if (r != null) {
                    md.append("| ")
                            .append(t)
                            .append(" | ")
                            .append(cell(
                                    r.setupError() != null
                                            ? "ERROR: " + r.setupError()
                                            : r.description() == null ? "" : r.description()))
                            .append(" | ")
                            .append(String.format("%.1f s", r.millis() / 1000.0))
                            .append(" |\n");
                }
            }
            md.append("\n| step |");
            targets.forEach(t -> md.append(' ').append(t).append(" |"));
            md.append("\n|---|");
            targets.forEach(t -> md.append("---|"));
            md.append('\n');
            for (var step : any.suite().steps()) {
                md.append("| ").append(cell(step.name())).append(" |");
                for (var t : targets) {
                    var r = byTarget.get(t);
                    var s = r == null ? null : r.step(step.name());
                    var d = detail(s);
                    md.append(' ')
                            .append(outcome(s))
                            .append(d.isEmpty() ? "" : ": " + cell(d))
                            .append(" |");
                }
                md.append('\n');
            }
            var diffs = differences.getOrDefault(suite, List.of());
            if (!diffs.isEmpty()) {
                md.append("\n| step | field | expected (")
                        .append(diffs.get(0).difference().baseline())
                        .append(") | actual | target | accepted |\n|---|---|---|---|---|---|\n");
                for (var j : diffs) {
                    var d = j.difference();
                    md.append("| ")
                            .append(cell(d.step()))
                            .append(" | `")
                            .append(cell(d.field()))
                            .append("` | ")
                            .append(code(d.expected()))
                            .append(" | ")
                            .append(code(d.actual()))
                            .append(" | ")
                            .append(d.target())
                            .append(" | ")
                            .append(
                                    j.accepted() == null
                                            ? "**NO**"
                                            : cell(j.accepted().reason()))
                            .append(" |\n");
                }
            }
        }
        return md.toString();
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", "<br>");
    }

    private static String code(String s) {
        return s == null ? "(absent)" : "`" + cell(s).replace("`", "'") + "`";
    }

    String html() {
        var h = new StringBuilder(
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>kubetwin conformance</title><style>"
                        + "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin:.5em 0}"
                        + "td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;font-size:90%}"
                        + ".PASSED{background:#e6f4ea}.FAILED{background:#fce8e6}.SKIPPED{background:#f1f3f4;color:#555}"
                        + "pre{white-space:pre-wrap;margin:0;font-size:90%}.bad{background:#fce8e6}.ok{background:#fff8e1}"
                        + "</style></head><body><h1>kubetwin conformance report</h1>");
        h.append("<p>Generated ")
                .append(esc(Instant.now().toString()))
                .append(". Differences not accepted: <b>")
                .append(unacceptedDifferences())
                .append("</b>.</p><table><tr><th>target</th><th>passed</th><th>failed</th><th>skipped</th></tr>");
        for (var t : targets) {
            var c = counts(t);
            h.append("<tr><td>")
                    .append(esc(t))
                    .append("</td><td>")
                    .append(c[0])
                    .append("</td><td>")
                    .append(c[1])
                    .append("</td><td>")
                    .append(c[2])
                    .append("</td></tr>");
        }
        h.append("</table>");
        if (!known.limitations().isEmpty()) {
            h.append(
                    "<h2>Known limitations of the fake</h2><table><tr><th>area</th><th>difference from kube-apiserver</th><th>reason</th></tr>");
            for (var l : known.limitations()) {
                h.append("<tr><td>")
                        .append(esc(l.area()))
                        .append("</td><td>")
                        .append(esc(l.difference()))
                        .append("</td><td>")
                        .append(esc(l.reason()))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        for (var n : notes) {
            h.append("<p><i>").append(esc(n)).append("</i></p>");
        }
        if (!known.divergences().isEmpty()) {
            h.append(
                    "<h2>Known divergences</h2><table><tr><th>suite</th><th>step</th><th>field</th><th>target</th><th>reason</th></tr>");
            for (var e : known.divergences()) {
                h.append("<tr><td>")
                        .append(esc(e.suite()))
                        .append("</td><td>")
                        .append(esc(e.step()))
                        .append("</td><td><code>")
                        .append(esc(e.field()))
                        .append("</code></td><td>")
                        .append(esc(e.target() == null ? "all" : e.target()))
                        .append("</td><td>")
                        .append(esc(e.reason()))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        for (var entry : results.entrySet()) {
            var byTarget = entry.getValue();
            var any = byTarget.values().iterator().next();
            h.append("<h2 id=\"")
                    .append(esc(entry.getKey()))
                    .append("\">")
                    .append(esc(entry.getKey()))
                    .append("</h2>");
            if (any.suite().description() != null) {
                h.append("<p>").append(esc(any.suite().description())).append("</p>");
            }
            h.append("<table><tr><th>target</th><th>cluster</th><th>wall time</th></tr>");
            for (var t : targets) {
                var r = byTarget.get(t);
                if (r != null) {
                    h.append("<tr><td>")
                            .append(esc(t))
                            .append("</td><td>")
                            .append(esc(
                                    r.setupError() != null
                                            ? "ERROR: " + r.setupError()
                                            : r.description() == null ? "" : r.description()))
                            .append("</td><td>")
                            .append(String.format("%.1f s", r.millis() / 1000.0))
                            .append("</td></tr>");
                }
            }
            h.append("</table><table><tr><th>step</th>");
            targets.forEach(t -> h.append("<th>").append(esc(t)).append("</th>"));
            h.append("</tr>");
            for (var step : any.suite().steps()) {
                h.append("<tr><td>").append(esc(step.name())).append("</td>");
                for (var t : targets) {
                    var r = byTarget.get(t);
                    var s = r == null ? null : r.step(step.name());
                    h.append("<td class=\"")
                            .append(outcome(s))
                            .append("\"><b>")
                            .append(outcome(s))
                            .append("</b>");
                    var d = detail(s);
                    if (!d.isEmpty()) {
                        h.append("<pre>").append(esc(d)).append("</pre>");
                    }
                    h.append("</td>");
                }
                h.append("</tr>");
            }
            h.append("</table>");
            var diffs = differences.getOrDefault(entry.getKey(), List.of());
            if (!diffs.isEmpty()) {
                h.append("<table><tr><th>step</th><th>field</th><th>expected (")
                        .append(esc(diffs.get(0).difference().baseline()))
                        .append(")</th><th>actual</th><th>target</th><th>accepted</th></tr>");
                for (var j : diffs) {
                    var d = j.difference();
                    h.append("<tr class=\"")
                            .append(j.accepted() == null ? "bad" : "ok")
                            .append("\"><td>")
                            .append(esc(d.step()))
                            .append("</td><td><code>")
                            .append(esc(d.field()))
                            .append("</code></td><td><pre>")
                            .append(esc(d.expected() == null ? "(absent)" : d.expected()))
                            .append("</pre></td><td><pre>")
                            .append(esc(d.actual() == null ? "(absent)" : d.actual()))
                            .append("</pre></td><td>")
                            .append(esc(d.target()))
                            .append("</td><td>")
                            .append(
                                    j.accepted() == null
                                            ? "NO"
                                            : esc(j.accepted().reason()))
                            .append("</td></tr>");
                }
                h.append("</table>");
            }
        }
        return h.append("</body></html>\n").toString();
    }

    String junit(String target) {
        var cases = new StringBuilder();
        int tests = 0, failures = 0, skipped = 0;
        double time = 0;
        for (var byTarget : results.values()) {
            var r = byTarget.get(target);
            if (r == null) {
                continue;
            }
            time += r.millis() / 1000.0;
            for (var s : r.steps()) {
                tests++;
                cases.append("  <testcase classname=\"")
                        .append(esc(r.suite().name()))
                        .append("\" name=\"")
                        .append(esc(s.step().name()))
                        .append("\" time=\"")
                        .append(String.format("%.3f", s.millis() / 1000.0))
                        .append("\"");
                if (s.outcome() instanceof StepOutcome.Failed f) {
                    failures++;
                    cases.append(">\n    <failure message=\"")
                            .append(esc(f.failures().get(0)))
                            .append("\">")
                            .append(esc(String.join("\n", f.failures())))
                            .append("</failure>\n  </testcase>\n");
                } else if (s.outcome() instanceof StepOutcome.Skipped k) {
                    skipped++;
                    cases.append(">\n    <skipped message=\"")
                            .append(esc(k.reason()))
                            .append("\"/>\n  </testcase>\n");
                } else {
                    cases.append("/>\n");
                }
            }
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"kubetwin-conformance-" + esc(target)
                + "\" tests=\"" + tests
                + "\" failures=\"" + failures + "\" errors=\"0\" skipped=\"" + skipped + "\" time=\""
                + String.format("%.3f", time) + "\">\n"
                + cases + "</testsuite>\n";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
