package io.kubetwin.scan.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.kubetwin.client.ApiClient;
import io.kubetwin.scan.model.Exchange;

/**
 * A probe's answer: the recorded exchange (the evidence) and, when the server answered, the response itself.
 *
 * @param exchange what was sent and received
 * @param response the response, or null when there was no answer (connection refused, TLS handshake failed)
 */
public record Answer(Exchange exchange, ApiClient.Response response) {

    public boolean answered() {
        return response != null;
    }

    /** The status code, 0 without an answer. */
    public int code() {
        return response == null ? 0 : response.code();
    }

    public boolean ok() {
        return code() >= 200 && code() < 300;
    }

    /** The body as JSON, a missing node when there is none or it is not JSON. */
    public JsonNode json() {
        return response == null
                ? MissingNode.getInstance()
                : response.optionalJson().orElse(MissingNode.getInstance());
    }
}
