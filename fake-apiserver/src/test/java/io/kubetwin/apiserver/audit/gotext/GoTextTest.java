package io.kubetwin.apiserver.audit.gotext;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values printed by Go 1.26 (strconv.Quote). */
class GoTextTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', ignoreLeadingAndTrailingWhitespace = false, value = {
            "a\u00a0b|\"a\\u00a0b\"",
            "\u00e9\u007f\u0001\t\u000b\u0007|\"\u00e9\\x7f\\x01\\t\\v\\a\"",
            "\u2028<&>|\"\\u2028<&>\"",
            "\uD83D\uDE00|\"\uD83D\uDE00\"",
            "\u200b|\"\\u200b\"",
            "\ufeff|\"\\ufeff\"",
            "a\"b\\c|\"a\\\"b\\\\c\""})
    void quote(String in, String out) {
        assertEquals(out, GoQuote.quote(in));
    }
}
