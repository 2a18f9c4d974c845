package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request to the API server, or to a kubelet of the suite ({@code kubelet: NODE}): its HTTPS port with the
 * actor's credentials (client certificate, bearer token, none for anonymous), or its read-only HTTP port.
 *
 * @param method      HTTP method (default GET)
 * @param path        path and query, e.g. {@code /api/v1/namespaces/default/pods?limit=500}
 * @param headers     extra headers; a header may repeat ({@code Impersonate-Group})
 * @param body        request body written as YAML, sent as JSON
 * @param rawBody     or a body sent verbatim
 * @param contentType content type (default application/json; merge-patch for PATCH when unset)
 * @param kubelet     the node name of one of the suite's {@code kubelets}, or null for the apiserver
 * @param readOnlyPort with {@code kubelet}: the read-only HTTP port instead of the HTTPS port
 */
public record ApiRequest(
        String method,
        String path,
        Map<String, List<String>> headers,
        JsonNode body,
        String rawBody,
        String contentType,
        String kubelet,
        Boolean readOnlyPort) {
    public ApiRequest {
        readOnlyPort = readOnlyPort != null && readOnlyPort;
        if (readOnlyPort && kubelet == null) {
            throw new IllegalArgumentException("readOnlyPort needs kubelet: NODE");
        }
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("request path must start with '/': " + path);
        }
    }

    /** A request to the API server, with the usual fields. */
    public ApiRequest(
            String method,
            String path,
            Map<String, List<String>> headers,
            JsonNode body,
            String rawBody,
            String contentType) {
        this(method, path, headers, body, rawBody, contentType, null, null);
    }

    public String effectiveContentType() {
        if (contentType != null) {
            return contentType;
        }
        return "PATCH".equals(method) ? "application/merge-patch+json" : "application/json";
    }
}
