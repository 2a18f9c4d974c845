package io.kubetwin.apiserver.audit.backend;

import static io.kubetwin.apiserver.audit.backend.Events.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.event.Level;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** --audit-*-truncate-*: bodies go first, then the event; batches are split by size. */
class TruncateBackendTest {
    private static AuditEvent big(String id, Level level) {
        return event(id).toBuilder()
                .level(level)
                .requestObject(JsonNodeFactory.instance.objectNode().put("data", "x".repeat(2000)))
                .build();
    }

    @Test
    void oversizedEventsLoseTheirBodiesThenAreDropped() throws Exception {
        RecordingSink sink = new RecordingSink();
        BlockingBackend inner = new BlockingBackend(sink, true);
        int small = AuditEventJson.toLine(event("a")).length;
        TruncateBackend backend = new TruncateBackend(inner, small + 100, 1 << 20);
        boolean ok = backend.processEvents(
                        List.of(big("req", Level.REQUEST), big("meta", Level.METADATA), event("fine")))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        backend.close();
        assertEquals(true, ok);
        List<AuditEvent> written = sink.written();
        assertEquals(
                List.of("req", "fine"),
                written.stream().map(AuditEvent::auditId).toList());
        assertNull(written.get(0).requestObject());
        assertEquals("true", written.get(0).annotation("audit.k8s.io/truncated"));
        assertEquals(1, backend.missedEvents(), "the Metadata event could not be truncated");
    }

    @Test
    void batchesAreSplitAtMaxBatchSize() throws Exception {
        RecordingSink sink = new RecordingSink();
        BlockingBackend inner = new BlockingBackend(sink, true);
        int size = AuditEventJson.toLine(event("a0")).length;
        TruncateBackend backend = new TruncateBackend(inner, size + 10, 2L * size + 5);
        backend.processEvents(Events.events("a", 5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        backend.close();
        assertEquals(List.of(2, 2, 1), sink.batchSizes());
        assertEquals("truncate<recording>", backend.name());
    }
}
