package io.kubetwin.scan.probe;

import io.kubetwin.client.ApiClient;
import io.kubetwin.scan.model.Exchange;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One identity's requests to the apiserver, each recorded as an {@link Exchange} and sent with an {@code Audit-ID}
 * header the scan chose ({@code kubetwin-scan-RUN-N}), so that the audit check can look for the scan's own requests
 * in the audit log: kube-apiserver takes a client's Audit-ID as the event's auditID (WithAuditInit).
 * Thread-safe; the counter is shared by every identity of one scan.
 */
public final class ApiProbe {
    private final String identity;
    private final ApiClient client;
    private final AuditIds auditIds;

    public ApiProbe(String identity, ApiClient client, AuditIds auditIds) {
        this.identity = identity;
        this.client = client;
        this.auditIds = auditIds;
    }

    /** Who this probe is, as shown in the evidence. */
    public String identity() {
        return identity;
    }

    public String server() {
        return client.server();
    }

    public Answer get(String path) {
        return send("GET", path, null);
    }

    public Answer post(String path, String json) {
        return send("POST", path, json);
    }

    public Answer delete(String path) {
        return send("DELETE", path, null);
    }

    /** Sends one request; a connection failure is an answer with code 0, never an exception. */
    public Answer send(String method, String path, String body) {
        String auditId = auditIds.next();
        String url = client.server() + path;
        try {
            var response =
                    client.send(method, path, body, body == null ? null : "application/json", "Audit-ID", auditId);
            return new Answer(
                    new Exchange(identity, method, url, body, response.code(), response.body(), auditId), response);
        } catch (UncheckedIOException e) {
            return new Answer(
                    new Exchange(identity, method, url, body, 0, String.valueOf(e.getMessage()), auditId), null);
        }
    }

    /** The Audit-IDs of one scan: a run prefix and a counter. */
    public static final class AuditIds {
        private final String prefix;
        private final AtomicInteger counter = new AtomicInteger();

        public AuditIds(String run) {
            this.prefix = "kubetwin-scan-" + run + "-";
        }

        public String prefix() {
            return prefix;
        }

        String next() {
            return prefix + counter.incrementAndGet();
        }

        /** How many requests the scan has sent so far. */
        public int sent() {
            return counter.get();
        }
    }
}
