package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * <p>The path, header values, raw body and raw bytes may hold {@code ${repeat N TEXT}}: TEXT N times
 * ({@link Repeats}), for oversized and deeply nested input.
 *
 * @param raw         or the whole request as bytes (ISO-8859-1), sent over the actor's TLS connection to the API
 *                    server by {@code io.kubetwin.client.RawHttp}: for what an HTTP client refuses to send (malformed
 *                    request lines and escapes, lower-case methods, HTTP/1.0, a missing Host). {@code ${host}} is
 *                    replaced by the server's host:port; the runner inserts its Audit-ID header (unless the text has
 *                    one) and a token actor's Authorization header (unless the text has one) after the first line.
 *                    Exclusive with every other field.
 */
public record ApiRequest(
        String method,
        String path,
        Map<String, List<String>> headers,
        JsonNode body,
        String rawBody,
        String contentType,
        String kubelet,
        Boolean readOnlyPort,
        String raw) {
    public ApiRequest {
        readOnlyPort = readOnlyPort != null && readOnlyPort;
        if (raw != null) {
            if (method != null
                    || path != null
                    || headers != null
                    || body != null
                    || rawBody != null
                    || contentType != null
                    || kubelet != null
                    || readOnlyPort) {
                throw new IllegalArgumentException("a raw request has no other field: " + raw);
            }
            path = "/"; // unused: the request line is in the bytes
        }
        if (readOnlyPort && kubelet == null) {
            throw new IllegalArgumentException("readOnlyPort needs kubelet: NODE");
        }
        method = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        headers = headers == null ? Map.of() : expand(headers);
        path = Repeats.expand(path);
        rawBody = Repeats.expand(rawBody);
        raw = Repeats.expand(raw);
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
        this(method, path, headers, body, rawBody, contentType, null, null, null);
    }

    private static Map<String, List<String>> expand(Map<String, List<String>> headers) {
        var out = new LinkedHashMap<String, List<String>>();
        headers.forEach((name, values) ->
                out.put(name, values.stream().map(Repeats::expand).toList()));
        return Collections.unmodifiableMap(out);
    }

    public String effectiveContentType() {
        if (contentType != null) {
            return contentType;
        }
        return "PATCH".equals(method) ? "application/merge-patch+json" : "application/json";
    }
}
