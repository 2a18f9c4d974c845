package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A destination of audit events (audit.Backend in k8s.io/apiserver/pkg/audit/types.go), asynchronous so that
 * the audit stage never blocks a Vert.x event loop.
 */
public interface AuditBackend extends AutoCloseable {

    /**
     * Hands over events. Called by the audit stage once per event stage, from event-loop threads and
     * concurrently; must not block. The returned stage completes when the backend is done with the events as
     * its mode promises: in blocking modes once they are written, in batch mode once they are buffered. It
     * completes with {@code false} only when the events could not be stored and the mode reports it
     * (blocking-strict); it never completes exceptionally. Events handed over after {@link #close()} are
     * counted as missed.
     */
    CompletionStage<Boolean> processEvents(List<AuditEvent> events);

    /** How many events this backend (and those it wraps) dropped so far: buffer full, write failed, after close. */
    long missedEvents();

    /**
     * Flushes and stops: when it returns, every event accepted before was written or counted as missed, and
     * the backend's threads are gone. Idempotent; blocks the calling thread, so call it from a worker thread
     * or at shutdown, not from an event loop.
     */
    @Override
    void close();

    /** Upstream's name of the backend chain, e.g. {@code buffered<webhook>}, for logs. */
    String name();
}
