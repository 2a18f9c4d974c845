package io.kubetwin.scenarios.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepeatsTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "a${repeat 3 [}b${repeat 2 ]}c   | a[[[b]]c",
                "${repeat 2 {\"op\":\"test\"},}  | {\"op\":\"test\"},{\"op\":\"test\"},",
                "${repeat 0 x}y                  | y",
                "${host} stays                   | ${host} stays",
                "${repeat 2 a b}                 | a ba b"
            })
    void expands(String text, String expanded) {
        assertEquals(expanded.strip(), Repeats.expand(text.strip()));
    }

    @org.junit.jupiter.api.Test
    void anUnclosedRepeatIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Repeats.expand("${repeat 2 {x}"));
    }
}
