package io.kubetwin.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.apiserver.registry.selection.FieldSelector;
import io.kubetwin.apiserver.registry.selection.ParsedLabelSelector;
import io.kubetwin.apiserver.registry.selection.SelectorException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorTest {
    static final Map<String, String> LABELS = Map.of("app", "web", "tier", "front", "n", "5");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            app=web | true
            app==web | true
            app!=web | false
            app!=db | true
            missing!=x | true
            app in (web,db) | true
            app notin (web) | false
            missing notin (a) | true
            app | true
            !app | false
            !missing | true
            app=web,tier=back | false
            app=web, tier in (front) | true
            n>4 | true
            n<5 | false
            '' | true
            """)
    void labelMatches(String selector, boolean expected) throws SelectorException {
        assertEquals(expected, ParsedLabelSelector.parse(selector).matches(LABELS));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a in (x | unable to parse requirement: found '', expected: ',' or ')'
            ! | unable to parse requirement: found '', expected: identifier
            a=b c | found 'c', expected: ',' or 'end of string'
            a> | unable to parse requirement: values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer
            a=b, | found '', expected: identifier after ','
            """)
    void labelErrors(String selector, String message) {
        assertEquals(
                message,
                assertThrows(SelectorException.class, () -> ParsedLabelSelector.parse(selector))
                        .getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            metadata.name=a | true
            metadata.name==a | true
            metadata.name!=a | false
            status.phase=Running,metadata.name=a | true
            status.phase=Pending | false
            """)
    void fieldMatches(String selector, boolean expected) throws SelectorException {
        assertEquals(
                expected,
                FieldSelector.parse(selector).matches(Map.of("metadata.name", "a", "status.phase", "Running")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            a | invalid selector: 'a'; can't understand 'a'
            x=1,b | invalid selector: 'x=1,b'; can't understand 'b'
            """)
    void fieldErrors(String selector, String message) {
        assertEquals(
                message,
                assertThrows(SelectorException.class, () -> FieldSelector.parse(selector))
                        .getMessage());
    }
}
