/**
 * Where audit events go: the log backend ({@code --audit-log-*}) and the webhook backend
 * ({@code --audit-webhook-*}), each in blocking, blocking-strict or batch mode, optionally truncating, and
 * their union. Mirrors k8s.io/apiserver/plugin/pkg/audit/{log,webhook,buffered,truncate} and the wiring of
 * pkg/server/options/audit.go.
 *
 * <p>Threading: a synchronous {@link io.kubetwin.apiserver.audit.backend.EventSink} (file write, webhook
 * POST with retries) only ever runs on a backend's own threads, never on a Vert.x event loop. Blocking modes
 * hand events to one dedicated writer thread and complete the caller's future once they are written, so the
 * audit stage can finish a response only after its events are stored; batch mode buffers them and a worker
 * thread writes batches. Nothing is lost silently: every event a backend accepts is written, or counted in
 * {@link io.kubetwin.apiserver.audit.backend.AuditBackend#missedEvents()} and logged with upstream's
 * "Error in audit plugin" message; {@code close()} flushes everything it accepted.
 */
package io.kubetwin.apiserver.audit.backend;
