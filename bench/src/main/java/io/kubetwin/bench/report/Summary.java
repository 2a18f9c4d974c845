package io.kubetwin.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The figure of several runs: their median and their range (every figure of the report is one). Immutable.
 *
 * @param median the middle run, or the mean of the two middle runs for an even count
 * @param min the lowest run
 * @param max the highest run
 * @param runs how many runs; 0 for a figure that was not measured
 */
public record Summary(double median, double min, double max, int runs) {
    public static final Summary NONE = new Summary(Double.NaN, Double.NaN, Double.NaN, 0);

    public static Summary of(List<Double> values) {
        List<Double> sorted = new ArrayList<>();
        for (Double v : values) {
            if (v != null && !v.isNaN()) {
                sorted.add(v);
            }
        }
        if (sorted.isEmpty()) {
            return NONE;
        }
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Summary(median, sorted.get(0), sorted.get(n - 1), n);
    }

    public boolean measured() {
        return runs > 0;
    }

    /** {@code this / other} of the medians, NaN when either is missing or the other is zero. */
    public double ratio(Summary other) {
        if (!measured() || !other.measured() || other.median == 0) {
            return Double.NaN;
        }
        return median / other.median;
    }

    /** "1234 (1200–1300)" with the precision the magnitude deserves; "–" when not measured. */
    public String format() {
        if (!measured()) {
            return "–";
        }
        if (runs == 1 || min == max) {
            return number(median);
        }
        return number(median) + " (" + number(min) + "–" + number(max) + ")";
    }

    /** A number with three significant figures below 100, whole above. */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 100 || a == 0) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** A ratio as "2.50×", "–" when unknown. */
    public static String ratioText(double r) {
        return Double.isNaN(r) ? "–" : String.format(Locale.ROOT, "%.2f×", r);
    }
}
