/**
 * Reading audit events back, for tests and the conformance runner: {@link io.kubetwin.apiserver.audit.reader.AuditLog}
 * parses a JSON-lines log (with its rotated and gzipped backups) or webhook EventLists into typed events and
 * filters them fluently; {@link io.kubetwin.apiserver.audit.reader.AuditWebhookReceiver} is a small HTTPS
 * webhook receiver on 127.0.0.1 that collects what a webhook backend sends.
 */
package io.kubetwin.apiserver.audit.reader;
