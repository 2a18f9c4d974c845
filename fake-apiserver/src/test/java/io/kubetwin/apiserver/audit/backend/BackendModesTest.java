package io.kubetwin.apiserver.audit.backend;

import static io.kubetwin.apiserver.audit.backend.Events.event;
import static io.kubetwin.apiserver.audit.backend.Events.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.flowcontrol.TokenBucket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Blocking, blocking-strict and batch modes: when callers may continue, and that nothing goes missing. */
class BackendModesTest {

    @Test
    void blockingCompletesOnlyAfterTheWrite() throws Exception {
        RecordingSink sink = new RecordingSink();
        sink.hold = new CountDownLatch(1);
        BlockingBackend backend = new BlockingBackend(sink, false);
        CompletableFuture<Boolean> done =
                backend.processEvents(List.of(event("a"))).toCompletableFuture();
        assertFalse(done.isDone(), "must wait for the writer");
        sink.hold.countDown();
        assertTrue(done.get(10, TimeUnit.SECONDS));
        assertEquals(
                List.of("a"), sink.written().stream().map(AuditEvent::auditId).toList());
        backend.close();
        assertTrue(sink.closed);
    }

    @Test
    void blockingIgnoresAFailedWriteButCountsIt() throws Exception {
        RecordingSink sink = new RecordingSink();
        sink.fail = true;
        BlockingBackend backend = new BlockingBackend(sink, false);
        assertTrue(
                backend.processEvents(List.of(event("a"))).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(1, backend.missedEvents());
        assertEquals("ignoreErrors<recording>", backend.name());
        backend.close();
    }

    @Test
    void blockingStrictReportsAFailedWrite() throws Exception {
        RecordingSink sink = new RecordingSink();
        sink.fail = true;
        BlockingBackend backend = new BlockingBackend(sink, true);
        assertFalse(
                backend.processEvents(List.of(event("a"))).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals(1, backend.missedEvents());
        backend.close();
    }

    @Test
    void eventsAfterCloseAreCountedAsMissed() throws Exception {
        RecordingSink sink = new RecordingSink();
        BlockingBackend blocking = new BlockingBackend(sink, true);
        blocking.close();
        assertFalse(blocking.processEvents(List.of(event("late")))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
        assertEquals(1, blocking.missedEvents());

        BufferedBackend buffered = new BufferedBackend(new RecordingSink(), BatchConfig.logDefaults());
        buffered.close();
        buffered.processEvents(events("late", 3));
        assertEquals(3, buffered.missedEvents());
    }

    @Test
    void batchReturnsAtOnceAndCloseFlushesEverything() throws Exception {
        RecordingSink sink = new RecordingSink();
        sink.hold = new CountDownLatch(1);
        BufferedBackend backend =
                new BufferedBackend(sink, new BatchConfig(100, 10, Duration.ofHours(1), false, 0, 0, false));
        for (AuditEvent e : events("e", 25)) {
            assertTrue(backend.processEvents(List.of(e)).toCompletableFuture().isDone(), "batch mode never waits");
        }
        sink.hold.countDown();
        backend.close();
        assertEquals(
                events("e", 25).stream().map(AuditEvent::auditId).toList(),
                sink.written().stream().map(AuditEvent::auditId).toList());
        assertEquals(10, sink.batchSizes().get(0));
        assertEquals(0, backend.missedEvents());
        assertTrue(sink.closed);
    }

    @Test
    void batchesWaitAtMostMaxBatchWait() throws Exception {
        RecordingSink sink = new RecordingSink();
        BufferedBackend backend =
                new BufferedBackend(sink, new BatchConfig(100, 400, Duration.ofMillis(50), false, 0, 0, true));
        backend.processEvents(events("e", 3));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.written().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(3, sink.written().size(), "a partial batch is sent once maxBatchWait passed");
        backend.close();
    }

    @Test
    void aFullBufferDropsAndCountsEvents() throws Exception {
        RecordingSink sink = new RecordingSink();
        sink.hold = new CountDownLatch(1);
        BufferedBackend backend = new BufferedBackend(sink, new BatchConfig(5, 1, Duration.ZERO, false, 0, 0, false));
        int offered = 0;
        // the worker blocks on its first event, the buffer fills up, then events are dropped
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (backend.missedEvents() < 3 && System.nanoTime() < deadline) {
            backend.processEvents(List.of(event("x" + offered)));
            offered++;
        }
        assertEquals(3, backend.missedEvents());
        assertTrue(offered <= 5 + 1 + 3, "at most the buffer and the event in hand are kept");
        sink.hold.countDown();
        backend.close();
        assertEquals(offered, sink.written().size() + backend.missedEvents(), "every event is written or counted");
    }

    @Test
    void throttledBatchesAreAllWritten() throws Exception {
        RecordingSink sink = new RecordingSink();
        BufferedBackend backend =
                new BufferedBackend(sink, new BatchConfig(100, 1, Duration.ZERO, true, 1000, 1, false));
        backend.processEvents(events("t", 20));
        backend.close();
        assertEquals(20, sink.written().size());
    }

    @Test
    void tokenBucketWaitsOnceTheBurstIsUsed() throws Exception {
        TokenBucket bucket = new TokenBucket(20, 2);
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            bucket.accept();
        }
        // two tokens at once, two more at 20 per second: at least ~100ms
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(90));
    }
}
