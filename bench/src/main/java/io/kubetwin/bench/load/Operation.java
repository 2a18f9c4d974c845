package io.kubetwin.bench.load;

import java.net.http.HttpRequest;

/**
 * One kind of request the load generator repeats. Thread-safe: workers call {@link #request} concurrently.
 *
 * @param name the report's row
 * @param path the request path (the ceiling answers a body of the fake's size there)
 * @param expectedStatus the status of a successful answer
 */
public record Operation(String name, String path, int expectedStatus, RequestFactory factory) {
    /** Builds the {@code seq}-th request against {@code baseUrl} (names of created objects derive from seq). */
    @FunctionalInterface
    public interface RequestFactory {
        HttpRequest build(String baseUrl, long seq);
    }

    public HttpRequest request(String baseUrl, long seq) {
        return factory.build(baseUrl, seq);
    }
}
