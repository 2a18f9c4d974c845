package io.kubetwin.bench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreBenchOptionsTest {

    @Test
    void defaultsAreTheIssuesMatrix() {
        StoreBenchOptions o = StoreBenchOptions.parse();
        assertEquals(List.of(1, 8, 32), o.concurrency());
        assertEquals(List.of("fake-etcd", "etcd"), o.targets());
        assertEquals(List.of("put", "range", "watch"), o.operations());
        assertEquals(Duration.ofSeconds(10), o.measure());
        assertEquals(Duration.ofSeconds(2), o.warmup());
    }

    @Test
    void optionsAreParsedAndBounded() {
        StoreBenchOptions o =
                StoreBenchOptions.parse("seconds=1.5", "concurrency=1,8", "targets=etcd", "valueBytes=64");
        assertEquals(Duration.ofMillis(1500), o.measure());
        assertEquals(List.of(1, 8), o.concurrency());
        assertEquals(List.of("etcd"), o.targets());
        assertEquals(64, o.valueBytes());
        assertEquals(
                "unknown option sconds (known: ",
                assertThrows(IllegalArgumentException.class, () -> StoreBenchOptions.parse("sconds=1"))
                        .getMessage()
                        .substring(0, 30));
        assertThrows(IllegalArgumentException.class, () -> StoreBenchOptions.parse("seconds=600"));
        assertThrows(IllegalArgumentException.class, () -> StoreBenchOptions.parse("targets=zookeeper"));
        assertThrows(IllegalArgumentException.class, () -> StoreBenchOptions.parse("operations=lease"));
        assertThrows(IllegalArgumentException.class, () -> StoreBenchOptions.parse("concurrency=0"));
    }
}
