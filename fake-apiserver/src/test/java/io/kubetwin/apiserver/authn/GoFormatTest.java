package io.kubetwin.apiserver.authn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFormatTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "alice|\"alice\"",
            "b\"<o>b|\"b\\\"<o>b\"",
            "back\\slash|\"back\\\\slash\"",
            "é and 日本|\"é and 日本\""})
    void quotesLikeStrconvQuote(String in, String out) {
        assertEquals(out, GoFormat.quote(in));
    }

    @Test
    void escapesNonPrintables() {
        // checked against Go: strconv.Quote("\u00a0\x01\u2028\n\t\x7f")
        assertEquals("\"\\u00a0\\x01\\u2028\\n\\t\\x7f\"", GoFormat.quote("\u00a0\u0001\u2028\n\t\u007f"));
    }

    @Test
    void formatsSlices() {
        assertEquals("[a b]", GoFormat.list(List.of("a", "b")));
        assertEquals("[]", GoFormat.list(List.of()));
        assertEquals("[\"a\" \"b c\"]", GoFormat.quoteList(List.of("a", "b c")));
    }

    @Test
    void aggregatesLikeUtilErrors() {
        assertNull(GoFormat.aggregate(List.of()));
        assertEquals("one", GoFormat.aggregate(List.of("one")));
        assertEquals("same", GoFormat.aggregate(List.of("same", "same")));
        assertEquals("[a, b]", GoFormat.aggregate(List.of("a", "b", "a")));
    }

    @Test
    void printsRfc3339InWholeSeconds() {
        assertEquals("2030-06-01T00:00:00Z", GoFormat.rfc3339(Instant.parse("2030-06-01T00:00:00.999Z")));
    }
}
