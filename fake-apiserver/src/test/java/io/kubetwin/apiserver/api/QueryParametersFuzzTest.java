package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * {@link QueryParameters#parse} takes every request's raw query: whatever a client sends, it answers a value (Go's
 * url.ParseQuery skips bad pairs rather than failing). Seeds in {@code QueryParametersFuzzTestInputs/parse}.
 */
class QueryParametersFuzzTest {
    @FuzzTest
    @Timeout(10)
    void parse(byte[] input) {
        // the query as Vert.x hands it over: the raw bytes of the request line, read as UTF-8
        String raw = new String(input, StandardCharsets.UTF_8);
        QueryParameters parsed = QueryParameters.parse(raw);
        assertNotNull(parsed);
        parsed.values().forEach((key, values) -> {
            assertNotNull(key);
            assertFalse(values.isEmpty(), "a key is only present with a value");
            values.forEach(v -> assertNotNull(v, key));
            assertEquals(values.get(0), parsed.first(key));
            assertEquals(values, parsed.all(key));
        });
    }
}
