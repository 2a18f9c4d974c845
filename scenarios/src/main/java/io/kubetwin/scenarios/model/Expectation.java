package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What a step must produce. Every field is optional; a step with no expectation only records (and is still
 * compared across targets).
 *
 * @param status    HTTP status code
 * @param reason    Status reason (e.g. Forbidden)
 * @param message   Status message
 * @param body      the whole response body as text (for plain-text answers)
 * @param json      response fields by JSON pointer, compared for JSON equality with the YAML value
 * @param jsonText  response fields by JSON pointer, compared as text
 * @param headers   response headers
 * @param exitCode  kubectl's exit code
 * @param stdout    kubectl's standard output
 * @param stderr    kubectl's standard error
 * @param audit     audit events the step must and must not produce
 * @param etcd      an etcd step's keys or error
 * @param connectionRefused true: nothing may listen (a closed kubelet read-only port); the connection is refused
 */
public record Expectation(
        Integer status,
        String reason,
        TextMatch message,
        TextMatch body,
        Map<String, JsonNode> json,
        Map<String, TextMatch> jsonText,
        Map<String, TextMatch> headers,
        Integer exitCode,
        TextMatch stdout,
        TextMatch stderr,
        AuditExpectation audit,
        EtcdExpectation etcd,
        Boolean connectionRefused) {
    public static final Expectation NONE =
            new Expectation(null, null, null, null, null, null, null, null, null, null, null, null, null);

    public Expectation {
        json = json == null ? Map.of() : Map.copyOf(json);
        jsonText = jsonText == null ? Map.of() : Map.copyOf(jsonText);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        connectionRefused = connectionRefused != null && connectionRefused;
    }

    /** The same expectation without its audit part (for a replay under another audit policy). */
    public Expectation withoutAudit() {
        return new Expectation(
                status,
                reason,
                message,
                body,
                json,
                jsonText,
                headers,
                exitCode,
                stdout,
                stderr,
                null,
                etcd,
                connectionRefused);
    }

    /** Audit events that must ({@code must}) and must not ({@code mustNot}) be written for the step. */
    public record AuditExpectation(List<AuditEventMatch> must, List<AuditEventMatch> mustNot) {
        public AuditExpectation {
            must = must == null ? List.of() : List.copyOf(must);
            mustNot = mustNot == null ? List.of() : List.copyOf(mustNot);
        }
    }
}
