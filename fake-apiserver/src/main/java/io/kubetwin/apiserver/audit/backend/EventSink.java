package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import java.util.List;

/**
 * The synchronous end of a backend: writes events to a file, or POSTs them to a webhook, and returns when
 * done (upstream's log and webhook plugins). Only {@link BlockingBackend} and {@link BufferedBackend} call
 * it, on their own threads; it may block. Failures are reported through {@link PluginErrors} by the sink
 * itself.
 */
public interface EventSink {
    /** Writes the events; false when some could not be stored (they were reported as missed). */
    boolean write(List<AuditEvent> events);

    /** Events this sink could not store so far. */
    long missedEvents();

    /** Stops retrying a failing delivery: called when the backend is closing. */
    default void stopRetrying() {}

    /** Releases files and connections; called once, after the last write. */
    void close();

    String name();
}
