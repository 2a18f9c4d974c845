package io.kubetwin.bench;

import io.kubetwin.bench.report.Plots;
import io.kubetwin.bench.report.Report;
import io.kubetwin.bench.target.BenchPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the benchmark: start-up, then throughput and latency (with resident memory), then the authorization cost as
 * bindings grow, and writes {@code OUT/report.md} and the PNG plots. Options: {@link BenchOptions} ({@code key=value}
 * arguments). Bounded: every phase stops by itself; a target that cannot start is noted in the report and skipped.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Logger.getLogger("").setLevel(Level.WARNING);
        BenchOptions options = BenchOptions.parse(args);
        Path out = options.out().toAbsolutePath();
        Path work = out.resolve("work");
        deleteTree(work);
        Files.createDirectories(work);
        Report report = new Report();
        var machine = Machine.describe();
        BenchPki pki = BenchPki.create(work.resolve("pki"));
        log("bench: " + options);
        // a phase that fails is noted, and the report of the others is still written
        phase(report, "start-up", () -> {
            if (options.startupRuns() > 0) {
                new StartupPhase(options, pki, work.resolve("startup"), report).run();
            }
        });
        phase(report, "load", () -> new LoadPhase(options, pki, work.resolve("load"), report).run());
        phase(report, "bindings", () -> {
            if (!options.bindings().isEmpty()) {
                new BindingsPhase(options, pki, work.resolve("bindings"), report).run();
            }
        });
        Path md = out.resolve("report.md");
        Files.writeString(md, report.markdown("kubetwin benchmark", machine) + plotsSection(Plots.write(report, out)));
        log("bench: wrote " + md);
        // Vert.x and HTTP client threads of stopped targets must not keep the JVM alive
        System.exit(0);
    }

    private interface Phase {
        void run() throws Exception;
    }

    private static void phase(Report report, String name, Phase phase) {
        try {
            phase.run();
        } catch (Exception e) {
            report.note("the " + name + " phase stopped: " + e);
            e.printStackTrace();
        }
    }

    private static String plotsSection(java.util.List<Path> plots) {
        StringBuilder md = new StringBuilder(plots.isEmpty() ? "" : "\n## Plots\n\n");
        plots.forEach(p -> md.append("![")
                .append(p.getFileName())
                .append("](")
                .append(p.getFileName())
                .append(")\n\n"));
        return md.toString();
    }

    static void log(String line) {
        System.out.println(line);
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
