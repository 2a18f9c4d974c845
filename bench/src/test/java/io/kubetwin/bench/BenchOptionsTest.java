package io.kubetwin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.bench.load.Operations;
import io.kubetwin.bench.report.Report;
import io.kubetwin.bench.target.AuditLevel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void defaultsAreTheIssuesMatrix() {
        BenchOptions o = BenchOptions.parse();
        assertEquals(3, o.runs());
        assertEquals(List.of(1, 8, 32), o.concurrency());
        assertEquals(Report.TARGETS, o.targets());
        assertEquals(Operations.ALL, o.operations());
        assertEquals(
                List.of("off", "Metadata", "RequestResponse"),
                o.audits().stream().map(AuditLevel::level).toList());
        assertEquals(List.of(10, 1000, 10000), o.bindings());
        assertEquals(100, o.watchers());
    }

    @Test
    void smallRunsAndShortNames() {
        BenchOptions o = BenchOptions.parse(
                "runs=1",
                "seconds=0.5",
                "warmup=0",
                "concurrency=1,8",
                "targets=fake-jvm,ceiling",
                "operations=get,list1000,watch",
                "audit=off",
                "bindings=",
                "bigBindings");
        assertEquals(Duration.ofMillis(500), o.measure());
        assertEquals(Duration.ZERO, o.warmup());
        assertEquals(List.of(Operations.GET, Operations.LIST_1000, Operations.WATCH), o.operations());
        assertEquals(List.of(50_000), o.bindings());
    }

    @Test
    void everythingIsCapped() {
        BenchOptions o = BenchOptions.parse("runs=1000", "seconds=99999", "maxRequests=999999999", "bindings=10,60000");
        assertEquals(15, o.runs());
        assertEquals(Duration.ofMinutes(30), o.measure());
        assertEquals(2_000_000, o.maxRequests());
        assertEquals(List.of(10), o.bindings());
    }

    @Test
    void unknownOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("durations=3"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("targets=k3s"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("operations=patch"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("audit=Everything"));
    }
}
