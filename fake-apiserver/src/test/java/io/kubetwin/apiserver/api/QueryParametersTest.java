package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Go's url.ParseQuery (net/url/url.go parseQuery), including what it skips. */
class QueryParametersTest {

    static Stream<Arguments> queries() {
        return Stream.of(
                Arguments.of(null, Map.of()),
                Arguments.of("", Map.of()),
                Arguments.of("limit=1", Map.of("limit", List.of("1"))),
                Arguments.of("a=1&a=2&b", Map.of("a", List.of("1", "2"), "b", List.of(""))),
                Arguments.of("a=x=y", Map.of("a", List.of("x=y"))),
                Arguments.of("&&a=1&", Map.of("a", List.of("1"))),
                // malformed escapes: the pair is skipped, the rest kept
                Arguments.of("x=%zz", Map.of()),
                Arguments.of("%", Map.of()),
                Arguments.of("x=%2", Map.of()),
                Arguments.of("limit=%zz&limit=1", Map.of("limit", List.of("1"))),
                Arguments.of("%zz=1&y=2", Map.of("y", List.of("2"))),
                // a semicolon is no separator since Go 1.17: the whole pair is dropped
                Arguments.of("a;b=1&limit=1", Map.of("limit", List.of("1"))),
                Arguments.of("a=1;b=2", Map.of()),
                // unescaping: + is a space, %XX in either case, multi-byte UTF-8
                Arguments.of("labelSelector=a%3Db+c", Map.of("labelSelector", List.of("a=b c"))),
                Arguments.of("n=%c3%a9%C3%A9", Map.of("n", List.of("éé"))),
                Arguments.of("k%20y=v%2Bw", Map.of("k y", List.of("v+w"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("queries")
    void parsesAsGo(String raw, Map<String, List<String>> expected) {
        assertEquals(expected, QueryParameters.parse(raw).values());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("queries")
    void firstIsNullWhenAbsent(String raw, Map<String, List<String>> expected) {
        QueryParameters parsed = QueryParameters.parse(raw);
        expected.forEach((k, v) -> assertEquals(v.get(0), parsed.first(k)));
        assertEquals(null, parsed.first("absent"));
        assertEquals(List.of(), parsed.all("absent"));
    }
}
