package io.kubetwin.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GoTextTest {
    static Stream<Arguments> quotes() {
        return Stream.of(
                Arguments.of("pods", "\"pods\""),
                Arguments.of("", "\"\""),
                Arguments.of("a\"b\\c", "\"a\\\"b\\\\c\""),
                Arguments.of("tab\there\nnl", "\"tab\\there\\nnl\""),
                Arguments.of("\u0001\u007f", "\"\\x01\\x7f\""),
                Arguments.of("héllo ✓", "\"héllo ✓\""),
                Arguments.of("nb\u00a0sp", "\"nb\\u00a0sp\""),
                Arguments.of("<&>", "\"<&>\""),
                // printed by Go 1.26's strconv.Quote
                Arguments.of("a\u00a0b", "\"a\\u00a0b\""),
                Arguments.of("\u00e9\u007f\u0001\t\u000b\u0007", "\"\u00e9\\x7f\\x01\\t\\v\\a\""),
                Arguments.of("\u2028<&>", "\"\\u2028<&>\""),
                Arguments.of("\uD83D\uDE00", "\"\uD83D\uDE00\""),
                Arguments.of("\u200b", "\"\\u200b\""),
                Arguments.of("\ufeff", "\"\\ufeff\""));
    }

    @ParameterizedTest
    @MethodSource("quotes")
    void quote(String in, String expected) {
        assertEquals(expected, GoText.quote(in));
    }

    @Test
    void quoteList() {
        assertEquals("[]", GoText.quoteList(List.of()));
        assertEquals("[\"\"]", GoText.quoteList(List.of("")));
        assertEquals("[\"get\" \"list\"]", GoText.quoteList(List.of("get", "list")));
    }

    static Stream<Arguments> aggregates() {
        return Stream.of(
                Arguments.of(List.of(), ""),
                Arguments.of(List.of("a"), "a"),
                Arguments.of(List.of("a", "b"), "[a, b]"),
                Arguments.of(List.of("a", "a"), "a"),
                Arguments.of(List.of("a", "b", "a"), "[a, b]"));
    }

    @ParameterizedTest
    @MethodSource("aggregates")
    void aggregate(List<String> messages, String expected) {
        assertEquals(expected, GoText.aggregate(messages));
    }

    @Test
    void orderIsByCodePoint() {
        // U+FF5E sorts before U+1F600 in UTF-8 bytes but after it in UTF-16 units
        assertTrue(GoText.ORDER.compare("\uff5e", "\ud83d\ude00") < 0);
        assertTrue(GoText.ORDER.compare("a", "ab") < 0);
        assertTrue(GoText.ORDER.compare("B", "a") < 0);
    }
}
