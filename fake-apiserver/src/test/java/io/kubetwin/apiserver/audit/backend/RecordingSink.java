package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** A sink that records batches, can be made to fail, and can be held to observe blocking. */
final class RecordingSink implements EventSink {
    final List<List<AuditEvent>> batches = new ArrayList<>();
    volatile boolean fail;
    volatile CountDownLatch hold;
    volatile boolean closed;
    private final PluginErrors errors = new PluginErrors();

    @Override
    public boolean write(List<AuditEvent> events) {
        CountDownLatch h = hold;
        if (h != null) {
            try {
                h.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fail) {
            errors.report(name(), "disk full", events);
            return false;
        }
        synchronized (batches) {
            batches.add(List.copyOf(events));
        }
        return true;
    }

    List<AuditEvent> written() {
        synchronized (batches) {
            return batches.stream().flatMap(List::stream).toList();
        }
    }

    List<Integer> batchSizes() {
        synchronized (batches) {
            return batches.stream().map(List::size).toList();
        }
    }

    @Override
    public long missedEvents() {
        return errors.missed();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String name() {
        return "recording";
    }
}
