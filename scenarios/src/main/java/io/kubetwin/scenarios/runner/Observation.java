package io.kubetwin.scenarios.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.client.ApiClient;
import io.kubetwin.client.Kubectl;
import java.util.List;

/**
 * Everything recorded for one step on one target: the HTTP response or the kubectl result, and the audit events
 * attributed to the step; or, for a request nobody answered, why ({@code connectionError}, e.g. a kubelet's
 * read-only port that is closed); or what an etcd step read.
 */
public record Observation(
        ApiClient.Response response,
        Kubectl.Result kubectl,
        List<JsonNode> auditEvents,
        boolean auditReadable,
        String connectionError,
        EtcdAnswer etcd) {
    /** What {@link #connectionError} says when the port is closed. */
    public static final String CONNECTION_REFUSED = "connection refused";

    public Observation {
        auditEvents = auditEvents == null ? List.of() : List.copyOf(auditEvents);
    }

    public Observation(
            ApiClient.Response response, Kubectl.Result kubectl, List<JsonNode> auditEvents, boolean auditReadable) {
        this(response, kubectl, auditEvents, auditReadable, null, null);
    }

    /** An etcd step's answer. */
    public static Observation etcd(EtcdAnswer answer) {
        return new Observation(null, null, List.of(), false, null, answer);
    }

    /** A request that got no answer. */
    public static Observation unanswered(String connectionError) {
        return new Observation(null, null, List.of(), false, connectionError, null);
    }
}
