package io.kubetwin.bench.store;

import com.google.protobuf.ByteString;
import io.kubetwin.bench.Machine;
import io.kubetwin.bench.report.Plots;
import io.kubetwin.bench.report.Summary;
import io.kubetwin.reference.EtcdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The store benchmark: put, range and watch latency (p50, p90, p99) and throughput for the kubetwin fake etcd and
 * the real etcd v3.6.4, each a process on this machine with a fresh data dir and durable writes, over mTLS, at each
 * client count; writes {@code OUT/store-report.md} and {@code OUT/store-latency-OPERATION.png}. Options:
 * {@link StoreBenchOptions}. Prints figures, asserts nothing; a store that does not start is noted and skipped.
 */
public final class StoreBenchMain {
    private StoreBenchMain() {}

    record Row(String target, String operation, int concurrency, StoreLoad.Result result) {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        StoreBenchOptions options = StoreBenchOptions.parse(args);
        Path out = options.out().toAbsolutePath();
        Path work = out.resolve("store-work");
        deleteTree(work);
        Files.createDirectories(work);
        var machine = Machine.describe();
        StorePki pki = StorePki.create(work.resolve("pki"));
        ByteString value = ByteString.copyFrom(new byte[options.valueBytes()]);
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        System.out.println("store bench: " + options);
        for (String target : options.targets()) {
            try (EtcdProcess store = StoreTarget.start(target, options, pki, work.resolve(target))) {
                if (options.operations().contains("range")) {
                    StoreLoad.seed(StoreTarget.url(store), pki, value);
                }
                for (String operation : options.operations()) {
                    for (int concurrency : options.concurrency()) {
                        StoreLoad.Result r =
                                StoreLoad.run(operation, StoreTarget.url(store), pki, concurrency, options, value);
                        rows.add(new Row(target, operation, concurrency, r));
                        System.out.printf(
                                Locale.ROOT,
                                "store bench: %-9s %-5s x%-3d %8.0f/s p50 %.2f ms p99 %.2f ms errors %d%n",
                                target,
                                operation,
                                concurrency,
                                r.perSecond(),
                                ms(r.latencyMicros(), 50),
                                ms(r.latencyMicros(), 99),
                                r.errors());
                        if (r.firstError() != null) {
                            notes.add(target + " " + operation + " x" + concurrency + ": " + r.firstError());
                        }
                    }
                }
            } catch (Exception e) {
                notes.add(target + " did not run: " + e.getMessage());
                e.printStackTrace();
            }
        }
        List<Path> plots = plots(rows, options, out);
        Path md = out.resolve("store-report.md");
        Files.writeString(md, markdown(options, machine, rows, notes, plots));
        System.out.println("store bench: wrote " + md);
        System.exit(0);
    }

    static String markdown(
            StoreBenchOptions options,
            java.util.Map<String, String> machine,
            List<Row> rows,
            List<String> notes,
            List<Path> plots) {
        StringBuilder md = new StringBuilder("# kubetwin store benchmark\n\n");
        machine.forEach(
                (k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("- options: warm-up ")
                .append(options.warmup().toMillis() / 1000.0)
                .append(" s, measured ")
                .append(options.measure().toMillis() / 1000.0)
                .append(" s (at most ")
                .append(options.maxRequests())
                .append(" requests) per line, values of ")
                .append(options.valueBytes())
                .append(" bytes, mTLS, one connection per client\n\n");
        md.append("| operation | clients | store | ops/s | p50 ms | p90 ms | p99 ms | errors |\n");
        md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
        rows.stream()
                .sorted(Comparator.comparing((Row r) -> options.operations().indexOf(r.operation()))
                        .thenComparing(Row::concurrency)
                        .thenComparing(r -> options.targets().indexOf(r.target())))
                .forEach(r -> md.append("| ")
                        .append(r.operation())
                        .append(" | ")
                        .append(r.concurrency())
                        .append(" | ")
                        .append(r.target())
                        .append(" | ")
                        .append(Summary.number(r.result().perSecond()))
                        .append(" | ")
                        .append(Summary.number(ms(r.result().latencyMicros(), 50)))
                        .append(" | ")
                        .append(Summary.number(ms(r.result().latencyMicros(), 90)))
                        .append(" | ")
                        .append(Summary.number(ms(r.result().latencyMicros(), 99)))
                        .append(" | ")
                        .append(r.result().errors())
                        .append(" |\n"));
        if (!notes.isEmpty()) {
            md.append("\nNotes:\n\n");
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        plots.forEach(p -> md.append("\n![")
                .append(p.getFileName())
                .append("](")
                .append(p.getFileName())
                .append(")\n"));
        return md.toString();
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Per operation: p50 and p99 against the client count, one series per store and percentile (log scale). */
    private static List<Path> plots(List<Row> rows, StoreBenchOptions options, Path out) throws IOException {
        List<Path> written = new ArrayList<>();
        for (String operation : options.operations()) {
            XYSeriesCollection data = new XYSeriesCollection();
            for (String target : options.targets()) {
                for (int p : new int[] {50, 99}) {
                    XYSeries series = new XYSeries(target + " p" + p);
                    rows.stream()
                            .filter(r -> r.operation().equals(operation)
                                    && r.target().equals(target)
                                    && r.result().latencyMicros().getTotalCount() > 0)
                            .forEach(r ->
                                    series.add(r.concurrency(), ms(r.result().latencyMicros(), p)));
                    if (!series.isEmpty()) {
                        data.addSeries(series);
                    }
                }
            }
            if (data.getSeriesCount() == 0) {
                continue;
            }
            written.add(Plots.latencyChart(
                    operation + ": latency against clients",
                    "clients",
                    data,
                    out.resolve("store-latency-" + operation + ".png")));
        }
        return written;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
