package io.kubetwin.apiserver.audit.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.reader.AuditLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 20,000 events from 8 threads into a log rotating every 64 KiB: once the backend is closed, the files on
 * disk hold every event exactly once, each line whole. No timing assertion.
 */
class ConcurrentBurstTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 2_500;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, compress={1}")
    @CsvSource({"blocking,false", "blocking-strict,true", "batch,false", "batch,true"})
    void everyEventLandsInExactlyOneFile(String mode, boolean compress) throws Exception {
        Path file = dir.resolve("audit.log");
        LumberjackWriter writer = new LumberjackWriter(file, 64 * 1024, 0, 0, compress, Clock.systemUTC());
        EventSink sink = new LogSink(writer, LogFormat.JSON, ZoneId.of("UTC"));
        AuditBackend backend =
                switch (mode) {
                    case "batch" ->
                        new BufferedBackend(
                                sink, new BatchConfig(THREADS * PER_THREAD, 1, Duration.ZERO, false, 0, 0, false));
                    default -> new BlockingBackend(sink, mode.equals("blocking-strict"));
                };
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> producers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            producers.add(pool.submit(() -> {
                List<CompletableFuture<Boolean>> done = new ArrayList<>();
                for (int i = 0; i < PER_THREAD; i++) {
                    done.add(backend.processEvents(List.of(Events.event("t" + thread + "-" + i)))
                            .toCompletableFuture());
                }
                done.forEach(CompletableFuture::join);
            }));
        }
        for (Future<?> f : producers) {
            f.get();
        }
        pool.shutdown();
        backend.close();

        assertEquals(0, backend.missedEvents());
        List<Path> files = AuditLog.files(file);
        assertTrue(files.size() > 10, "the burst must rotate many times, got " + files.size());
        if (compress) {
            assertTrue(files.stream()
                    .limit(files.size() - 1)
                    .allMatch(p -> p.toString().endsWith(".gz")));
        }
        List<AuditEvent> read = AuditLog.read(file).events();
        Set<String> ids = new HashSet<>();
        for (AuditEvent e : read) {
            assertTrue(ids.add(e.auditId()), "duplicate " + e.auditId());
        }
        Set<String> expected = new HashSet<>();
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < PER_THREAD; i++) {
                expected.add("t" + t + "-" + i);
            }
        }
        assertEquals(expected, ids);
        assertEquals(THREADS * PER_THREAD, read.size());
    }
}
