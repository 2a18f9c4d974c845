package io.kubetwin.scenarios.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What came back for one HTTP request. Header names are lower case. */
public record ApiResponse(int status, Map<String, List<String>> headers, String body, long millis) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The body as JSON, or empty when it is not JSON. */
    public Optional<JsonNode> json() {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(body));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    public Optional<String> header(String name) {
        var values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(String.join(",", values));
    }

    /** The Status reason, when the body is a Status. */
    public Optional<String> statusReason() {
        return json().filter(j -> "Status".equals(j.path("kind").asText())).map(j -> j.path("reason").asText(""));
    }

    /** The Status message, when the body is a Status. */
    public Optional<String> statusMessage() {
        return json().filter(j -> "Status".equals(j.path("kind").asText())).map(j -> j.path("message").asText(""));
    }
}
