package io.kubetwin.bench.report;

/**
 * One line of a report table: what was measured ({@code section}, {@code row}), in which unit, on which target,
 * under which load ({@code concurrency}, 0 when it does not apply) and with which audit level ("" when it does not
 * apply).
 */
public record Figure(
        String section, String row, String unit, String target, int concurrency, String audit, Summary value) {

    /** Whether a higher value is better (throughput) or worse (latency, time, memory): decides the ratio's sense. */
    public boolean higherIsBetter() {
        return unit.endsWith("/s");
    }
}
