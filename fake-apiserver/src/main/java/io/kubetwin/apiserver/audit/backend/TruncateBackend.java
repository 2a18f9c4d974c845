package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.event.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code --audit-*-truncate-enabled}: mirrors plugin/pkg/audit/truncate/truncate.go. An event larger than
 * {@code maxEventSize} (its JSON line) at level Request or above loses its request and response objects
 * and gains the annotation {@code audit.k8s.io/truncated: "true"}; if it is still too large it is dropped
 * and reported. Events are passed on in batches of at most {@code maxBatchSize} bytes.
 */
public final class TruncateBackend implements AuditBackend {
    static final String ANNOTATION = "audit.k8s.io/truncated";

    private final AuditBackend delegate;
    private final long maxEventSize;
    private final long maxBatchSize;
    private final PluginErrors errors = new PluginErrors();

    public TruncateBackend(AuditBackend delegate, long maxEventSize, long maxBatchSize) {
        this.delegate = delegate;
        this.maxEventSize = maxEventSize;
        this.maxBatchSize = maxBatchSize;
    }

    @Override
    public CompletionStage<Boolean> processEvents(List<AuditEvent> events) {
        List<CompletableFuture<Boolean>> sent = new ArrayList<>();
        List<AuditEvent> batch = new ArrayList<>();
        List<AuditEvent> impacted = new ArrayList<>();
        long batchSize = 0;
        for (AuditEvent event : events) {
            long size = size(event);
            if (size > maxEventSize && event.level().atLeast(Level.REQUEST)) {
                event = truncate(event);
                size = size(event);
            }
            if (size > maxEventSize) {
                impacted.add(event);
                continue;
            }
            if (!batch.isEmpty() && batchSize + size > maxBatchSize) {
                sent.add(delegate.processEvents(batch).toCompletableFuture());
                batch = new ArrayList<>();
                batchSize = 0;
            }
            batchSize += size;
            batch.add(event);
        }
        if (!batch.isEmpty()) {
            sent.add(delegate.processEvents(batch).toCompletableFuture());
        }
        if (!impacted.isEmpty()) {
            errors.report("truncate", "event is too large even after truncating", impacted);
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .thenApply(x -> sent.stream().allMatch(CompletableFuture::join));
    }

    private static long size(AuditEvent e) {
        return AuditEventJson.toLine(e).length;
    }

    static AuditEvent truncate(AuditEvent e) {
        Map<String, String> annotations = new LinkedHashMap<>(e.annotations());
        annotations.put(ANNOTATION, "true");
        return e.toBuilder()
                .requestObject(null)
                .responseObject(null)
                .annotations(annotations)
                .build();
    }

    @Override
    public long missedEvents() {
        return errors.missed() + delegate.missedEvents();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String name() {
        return "truncate<" + delegate.name() + ">";
    }
}
