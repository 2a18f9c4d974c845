package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The escaper's API; the escaping classes themselves are checked against the reference by GoJsonGoldenTest. */
class GoJsonTest {
    /** Expected values printed by Go 1.26's json.Marshal. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            ignoreLeadingAndTrailingWhitespace = false,
            value = {
                "\b\f\u0001<>&\u2028\u2029\u007f\u00e9\uD83D\uDE00\ufeff|\"\\b\\f\\u0001\\u003c\\u003e\\u0026\\u2028\\u2029\u007f\u00e9\uD83D\uDE00\ufeff\""
            })
    void json(String in, String out) {
        assertEquals(out, GoJson.string(in));
    }

    @Test
    void stringArrayIsAGoStringSlice() {
        assertEquals("null", GoJson.stringArray(null));
        assertEquals("[]", GoJson.stringArray(List.of()));
        assertEquals("[\"a\\u003cb\",\"\"]", GoJson.stringArray(List.of("a<b", "")));
    }

    /** Map keys go through the same rules as values, on both of Jackson's generators. */
    @Test
    void keysAreEscapedLikeValues() throws Exception {
        Map<String, String> map = Map.of("k<\ud800\uD83D\uDE00", "v");
        String expected = "{\"k\\u003c\ufffd\uD83D\uDE00\":\"v\"}";
        assertEquals(expected, GoJson.mapper().writeValueAsString(map));
        assertEquals(expected, new String(GoJson.mapper().writeValueAsBytes(map), StandardCharsets.UTF_8));
    }

    /** The char[] form Jackson uses when it copies text (TokenBuffer, copyCurrentEvent). */
    @Test
    void charArraysAreMadeWellFormed() throws Exception {
        var out = new ByteArrayOutputStream();
        try (var g = GoJson.mapper().getFactory().createGenerator(out)) {
            char[] text = "x\udc00<y".toCharArray();
            g.writeString(text, 1, 3);
        }
        assertEquals("\"\ufffd\\u003cy\"", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withGoStringsKeepsTheMappersConfiguration() throws Exception {
        ObjectMapper pretty = GoJson.withGoStrings(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT));
        String written = pretty.writeValueAsString(Map.of("a", List.of("<")));
        assertEquals(
                Arrays.asList("{", "  \"a\" : [ \"\\u003c\" ]", "}"),
                written.lines().toList());
    }
}
