package io.kubetwin.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's PNG plots (JFreeChart, headless): latency against concurrency per operation, decision time against
 * the number of bindings, start-up bars. Each plot is drawn only when its figures exist; answers the files written.
 */
public final class Plots {
    public static final String LATENCY_SECTION = "Throughput and latency";
    public static final String BINDINGS_SECTION = "Authorization cost as bindings grow";
    public static final String STARTUP_SECTION = "Start-up";
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;

    private Plots() {}

    public static List<Path> write(Report report, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Figure> figures = report.figures();
        List<Path> written = new ArrayList<>();
        Set<String> operations = new LinkedHashSet<>();
        figures.stream()
                .filter(f -> f.section().equals(LATENCY_SECTION) && f.unit().equals("p50 ms"))
                .forEach(f -> operations.add(f.row()));
        for (String operation : operations) {
            XYSeriesCollection data = new XYSeriesCollection();
            for (String target : Report.TARGETS) {
                for (String unit : List.of("p50 ms", "p99 ms")) {
                    XYSeries series = new XYSeries(target + " " + unit.substring(0, 3));
                    figures.stream()
                            .filter(f -> f.section().equals(LATENCY_SECTION)
                                    && f.row().equals(operation)
                                    && f.unit().equals(unit)
                                    && f.target().equals(target)
                                    && (f.audit().isEmpty() || f.audit().equals("off"))
                                    && f.value().measured())
                            .forEach(f -> series.add(f.concurrency(), f.value().median()));
                    if (!series.isEmpty()) {
                        data.addSeries(series);
                    }
                }
            }
            if (data.getSeriesCount() > 0) {
                written.add(latencyChart(
                        operation + ": latency against concurrency (audit off)",
                        "concurrency",
                        data,
                        dir.resolve("latency-" + slug(operation) + ".png")));
            }
        }
        // one series per target and kind of binding: the row is "10,000 RoleBindings", "1,000 ClusterRoleBindings"
        XYSeriesCollection bindings = new XYSeriesCollection();
        for (String target : Report.TARGETS) {
            Map<String, XYSeries> byKind = new LinkedHashMap<>();
            figures.stream()
                    .filter(f -> f.section().equals(BINDINGS_SECTION)
                            && f.unit().equals("p50 ms")
                            && f.target().equals(target)
                            && f.value().measured())
                    .forEach(f -> byKind.computeIfAbsent(
                                    target + " " + f.row().replaceAll("^[0-9,]+ ", ""), XYSeries::new)
                            .add(
                                    Double.parseDouble(f.row().replaceAll("[^0-9]", "")),
                                    f.value().median()));
            byKind.values().forEach(bindings::addSeries);
        }
        if (bindings.getSeriesCount() > 0) {
            JFreeChart chart = ChartFactory.createXYLineChart(
                    "Authorized request latency (p50) against the number of bindings",
                    "bindings",
                    "ms",
                    bindings,
                    PlotOrientation.VERTICAL,
                    true,
                    false,
                    false);
            // 10 to 50,000 bindings: a log scale spreads the counts evenly
            LogarithmicAxis counts = new LogarithmicAxis("bindings (log scale)");
            counts.setStrictValuesFlag(false);
            chart.getXYPlot().setDomainAxis(counts);
            ((XYLineAndShapeRenderer) chart.getXYPlot().getRenderer()).setDefaultShapesVisible(true);
            written.add(save(chart, dir.resolve("decision-vs-bindings.png")));
        }
        DefaultCategoryDataset startup = new DefaultCategoryDataset();
        figures.stream()
                .filter(f -> f.section().equals(STARTUP_SECTION)
                        && f.unit().equals("ms")
                        && f.value().measured())
                .forEach(f -> startup.addValue(f.value().median(), f.target(), f.row()));
        if (startup.getRowCount() > 0) {
            written.add(save(
                    ChartFactory.createBarChart(
                            "Start-up to the first authenticated answer (median)",
                            "",
                            "ms",
                            startup,
                            PlotOrientation.HORIZONTAL,
                            true,
                            false,
                            false),
                    dir.resolve("startup.png")));
        }
        return written;
    }

    /**
     * p50 and p99 (one series each per target) against the number of clients: they differ by orders of magnitude
     * under load, so the latency axis is logarithmic.
     */
    public static Path latencyChart(String title, String clientsLabel, XYSeriesCollection data, Path file)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, clientsLabel, "ms", data, PlotOrientation.VERTICAL, true, false, false);
        LogarithmicAxis ms = new LogarithmicAxis("ms (log scale)");
        ms.setStrictValuesFlag(false);
        chart.getXYPlot().setRangeAxis(ms);
        ((NumberAxis) chart.getXYPlot().getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((XYLineAndShapeRenderer) chart.getXYPlot().getRenderer()).setDefaultShapesVisible(true);
        return save(chart, file);
    }

    private static Path save(JFreeChart chart, Path file) throws IOException {
        chart.getPlot().setBackgroundPaint(java.awt.Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }

    static String slug(String s) {
        return s.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
    }
}
