package io.kubetwin.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * All the figures of one benchmark run, and their Markdown rendering: one table per section, one line per measured
 * thing, one column per target, then the fake/reference and fake/ceiling ratios of the medians. Thread-safe for
 * {@link #add} (the harness adds from one thread, the plots read afterwards).
 */
public final class Report {
    public static final String FAKE_PROCESS = "fake-process";
    public static final String FAKE_JVM = "fake-jvm";
    public static final String REFERENCE = "reference";
    public static final String CEILING = "ceiling";
    /** The column order; a target never measured has no column. */
    public static final List<String> TARGETS = List.of(FAKE_PROCESS, FAKE_JVM, REFERENCE, CEILING);

    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public synchronized void add(Figure figure) {
        figures.add(Objects.requireNonNull(figure));
    }

    /** A line printed under the tables (a target that did not start, a bound that was hit). */
    public synchronized void note(String note) {
        notes.add(note);
    }

    public synchronized List<Figure> figures() {
        return List.copyOf(figures);
    }

    public synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * The fake the ratios are taken of: the process when it was measured on that line (what a user runs), else the
     * in-JVM server.
     */
    static Summary fakeOf(Map<String, Summary> byTarget) {
        Summary process = byTarget.getOrDefault(FAKE_PROCESS, Summary.NONE);
        return process.measured() ? process : byTarget.getOrDefault(FAKE_JVM, Summary.NONE);
    }

    /** The whole report: a title, the machine, one table per section, the notes. */
    public synchronized String markdown(String title, Map<String, String> machine) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append("| machine | |\n| --- | --- |\n");
        machine.forEach(
                (k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\nEvery figure is the median of its runs with their range in parentheses. The ratios divide the")
                .append(" fake's median (the process when measured, else the in-JVM server) by the reference's and")
                .append(" the ceiling's: above 1 is better for rates (/s), below 1 for times and sizes.\n");
        Set<String> sections = new LinkedHashSet<>();
        figures.forEach(f -> sections.add(f.section()));
        for (String section : sections) {
            md.append("\n## ").append(section).append("\n\n");
            table(md, figures.stream().filter(f -> f.section().equals(section)).toList());
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    private static void table(StringBuilder md, List<Figure> section) {
        List<String> targets = TARGETS.stream()
                .filter(t -> section.stream().anyMatch(f -> f.target().equals(t)))
                .toList();
        boolean withConcurrency = section.stream().anyMatch(f -> f.concurrency() > 0);
        boolean withAudit = section.stream().anyMatch(f -> !f.audit().isEmpty());
        md.append("| what | unit |");
        if (withConcurrency) {
            md.append(" concurrency |");
        }
        if (withAudit) {
            md.append(" audit |");
        }
        targets.forEach(t -> md.append(' ').append(t).append(" |"));
        md.append(" fake/reference | fake/ceiling |\n|");
        int columns = 4 + targets.size() + (withConcurrency ? 1 : 0) + (withAudit ? 1 : 0);
        md.append(" --- |".repeat(columns)).append('\n');
        Map<List<Object>, Map<String, Summary>> lines = new LinkedHashMap<>();
        Map<List<Object>, Figure> first = new LinkedHashMap<>();
        for (Figure f : section) {
            List<Object> key = List.of(f.row(), f.unit(), f.concurrency(), f.audit());
            lines.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(f.target(), f.value());
            first.putIfAbsent(key, f);
        }
        lines.forEach((key, byTarget) -> {
            Figure f = first.get(key);
            md.append("| ").append(f.row()).append(" | ").append(f.unit()).append(" |");
            if (withConcurrency) {
                md.append(' ')
                        .append(f.concurrency() > 0 ? String.valueOf(f.concurrency()) : "")
                        .append(" |");
            }
            if (withAudit) {
                md.append(' ').append(f.audit()).append(" |");
            }
            targets.forEach(t -> md.append(' ')
                    .append(byTarget.getOrDefault(t, Summary.NONE).format())
                    .append(" |"));
            Summary fake = fakeOf(byTarget);
            md.append(' ')
                    .append(Summary.ratioText(fake.ratio(byTarget.getOrDefault(REFERENCE, Summary.NONE))))
                    .append(" | ")
                    .append(Summary.ratioText(fake.ratio(byTarget.getOrDefault(CEILING, Summary.NONE))))
                    .append(" |\n");
        });
    }
}
