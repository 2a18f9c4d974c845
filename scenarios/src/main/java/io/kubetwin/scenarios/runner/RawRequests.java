package io.kubetwin.scenarios.runner;

import io.kubetwin.client.RawHttp;
import io.kubetwin.pki.Kubeconfig;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A step's {@code raw} request: the suite's bytes with {@code ${host}} filled in and the runner's Audit-ID and a token
 * actor's Authorization header inserted after the first line (each only when the text has none), sent over the
 * actor's TLS connection. A request nobody answers (the server closes, or waits for bytes that never come) is
 * recorded as a connection error and compared like an answer.
 */
final class RawRequests {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern AUDIT_ID = Pattern.compile("(?im)^Audit-ID:[ \\t]*([^\\r\\n]*?)[ \\t]*\\r?$");
    private static final Pattern AUTHORIZATION = Pattern.compile("(?im)^Authorization:");

    private RawRequests() {}

    /** The Audit-ID header the text sets itself, if any. */
    static Optional<String> auditId(String raw) {
        var m = AUDIT_ID.matcher(headerPart(raw));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The bytes to send: {@code raw} with the host filled in and the runner's headers inserted after line one. */
    static String prepare(String raw, String host, String auditId, String token) {
        var text = raw.replace("${host}", host);
        var extra = new StringBuilder();
        if (auditId(text).isEmpty()) {
            extra.append("Audit-ID: ").append(auditId).append("\r\n");
        }
        if (token != null && !AUTHORIZATION.matcher(headerPart(text)).find()) {
            extra.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        int eol = text.indexOf('\n');
        return eol < 0 ? text : text.substring(0, eol + 1) + extra + text.substring(eol + 1);
    }

    /** Sends the request as {@code kubeconfig}'s user; the observation has the response or the connection error. */
    static Observation send(String raw, Kubeconfig kubeconfig, String auditId) {
        var server = URI.create(kubeconfig.server());
        var bytes =
                prepare(raw, server.getAuthority(), auditId, kubeconfig.token().orElse(null));
        try {
            var answer = RawHttp.send(kubeconfig, bytes, TIMEOUT);
            return new Observation(answer.response(), null, List.of(), false);
        } catch (UncheckedIOException e) {
            return Observation.unanswered(e.getMessage());
        }
    }

    private static String headerPart(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        return end < 0 ? raw : raw.substring(0, end);
    }
}
