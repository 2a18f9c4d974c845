package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemeNamePortTest {
    /** utilnet.SplitSchemeNamePort's cases (port_split_test.go), "-" for an id it refuses. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            aoeu          | :aoeu:
            aoeu:a123     | :aoeu:a123
            http:aoeu:a123 | http:aoeu:a123
            https:aoeu:   | https:aoeu:
            x:y:z         | -
            ''            | -
            :80           | -
            http::80      | -
            a:b:c:d       | -
            """)
    void split(String id, String expected) {
        assertEquals(
                expected,
                SchemeNamePort.split(id)
                        .map(s -> s.scheme() + ":" + s.name() + ":" + s.port())
                        .orElse("-"));
    }
}
