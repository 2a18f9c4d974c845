package io.kubetwin.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoTextFormatTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "alice|\"alice\"",
                "b\"<o>b|\"b\\\"<o>b\"",
                "back\\slash|\"back\\\\slash\"",
                "é and 日本|\"é and 日本\""
            })
    void quotesLikeStrconvQuote(String in, String out) {
        assertEquals(out, GoText.quote(in));
    }

    @Test
    void escapesNonPrintables() {
        // checked against Go: strconv.Quote("\u00a0\x01\u2028\n\t\x7f")
        assertEquals("\"\\u00a0\\x01\\u2028\\n\\t\\x7f\"", GoText.quote("\u00a0\u0001\u2028\n\t\u007f"));
    }

    @Test
    void formatsSlices() {
        assertEquals("[a b]", GoText.list(List.of("a", "b")));
        assertEquals("[]", GoText.list(List.of()));
        assertEquals("[\"a\" \"b c\"]", GoText.quoteList(List.of("a", "b c")));
    }

    @Test
    void aggregatesLikeUtilErrors() {
        assertEquals("", GoText.aggregate(List.of()));
        assertEquals("one", GoText.aggregate(List.of("one")));
        assertEquals("same", GoText.aggregate(List.of("same", "same")));
        assertEquals("[a, b]", GoText.aggregate(List.of("a", "b", "a")));
    }

    @Test
    void printsRfc3339InWholeSeconds() {
        assertEquals("2030-06-01T00:00:00Z", GoText.rfc3339(Instant.parse("2030-06-01T00:00:00.999Z")));
    }
}
