package io.kubetwin.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.apiserver.registry.selection.FieldSelector;
import io.kubetwin.apiserver.registry.selection.ParsedLabelSelector;
import io.kubetwin.apiserver.registry.selection.SelectorException;
import java.util.Map;
import org.junit.jupiter.api.Test;
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
            -a=b | unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            k=b- | unable to parse requirement: values[0][k]: Invalid value: "b-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            k>x | unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer
            -k>- | unable to parse requirement: [<nil>: Invalid value: "-k": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), values[0]: Invalid value: "-": for 'Gt', 'Lt' operators, the value must be an integer, values[0][-k]: Invalid value: "-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')]
            """)
    void labelErrors(String selector, String message) {
        assertEquals(
                message,
                assertThrows(SelectorException.class, () -> ParsedLabelSelector.parse(selector))
                        .getMessage());
    }

    /** Go's lexer reads NUL as its end of string where a token starts (the reference lists everything for %00). */
    @Test
    void nulWhereATokenStartsEndsTheSelector() throws SelectorException {
        assertEquals(0, ParsedLabelSelector.parse("\0").requirements().size());
        assertEquals(
                1,
                ParsedLabelSelector.parse("app=web \0 tier=back").requirements().size());
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
            metadata.name==a==b | invalid field selector: unescaped character in value: 61
            x=a\\qb | invalid field selector: invalid escape sequence: \\q
            x=a\\ | invalid field selector: invalid escape sequence: \\
            """)
    void fieldErrors(String selector, String message) {
        assertEquals(
                message,
                assertThrows(SelectorException.class, () -> FieldSelector.parse(selector))
                        .getMessage());
    }
}
