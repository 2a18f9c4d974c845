package io.kubetwin.apiserver.registry.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go encoding/json's syntax errors, as Go 1.24 words them. */
class GoJsonSyntaxTest {
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"a":1} | ok
            xyz | invalid character 'x' looking for beginning of value
            {"a":1 | unexpected end of JSON input
            {bad | invalid character 'b' looking for beginning of object key string
            {"a" 1} | invalid character '1' after object key
            {"a":1 "b":2} | invalid character '"' after object key:value pair
            [1 2] | invalid character '2' after array element
            [1,] | invalid character ']' looking for beginning of value
            {"a":tru} | invalid character '}' in literal true (expecting 'e')
            {"a":-x} | invalid character 'x' in numeric literal
            {"a":1.} | invalid character '}' after decimal point in numeric literal
            {} {} | invalid character '{' after top-level value
            `{'a':1}` | invalid character '\\'' looking for beginning of object key string
            `` | unexpected end of JSON input
            """)
    void wordsErrorsAsGo(String json, String expected) {
        assertEquals(expected, GoJsonSyntax.check(json == null ? "" : json).orElse("ok"));
    }
}
