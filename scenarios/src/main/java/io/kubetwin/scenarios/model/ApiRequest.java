package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request to the API server.
 *
 * @param method      HTTP method (default GET)
 * @param path        path and query, e.g. {@code /api/v1/namespaces/default/pods?limit=500}
 * @param headers     extra headers; a header may repeat ({@code Impersonate-Group})
 * @param body        request body written as YAML, sent as JSON
 * @param rawBody     or a body sent verbatim
 * @param contentType content type (default application/json; merge-patch for PATCH when unset)
 */
public record ApiRequest(
        String method,
        String path,
        Map<String, List<String>> headers,
        JsonNode body,
        String rawBody,
        String contentType) {
    public ApiRequest {
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("request path must start with '/': " + path);
        }
    }

    public String effectiveContentType() {
        if (contentType != null) {
            return contentType;
        }
        return "PATCH".equals(method) ? "application/merge-patch+json" : "application/json";
    }
}
