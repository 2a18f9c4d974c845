package io.kubetwin.scenarios.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextMatchTest {

    @ParameterizedTest
    @CsvSource({
        "EXACT, Unauthorized, Unauthorized, true",
        "EXACT, Unauthorized, Unauthorized., false",
        "REGEX, 'pods .* forbidden', 'pods is forbidden', true",
        "REGEX, 'pods', 'pods is forbidden', false",
        "CONTAINS, 'logged in', 'error: You must be logged in to the server', true",
        "CONTAINS, 'Logged in', 'error: You must be logged in to the server', false",
    })
    void matches(TextMatch.Mode mode, String expected, String actual, boolean result) {
        assertEquals(result, new TextMatch(mode, expected).matches(actual));
    }

    @ParameterizedTest
    @CsvSource({"EXACT", "REGEX", "CONTAINS"})
    void neverMatchesAbsentText(TextMatch.Mode mode) {
        assertEquals(false, new TextMatch(mode, ".*").matches(null));
    }

    @ParameterizedTest
    @CsvSource(
            value = {"NULL, true", "'', false", "299 - \"x\", false"},
            nullValues = "NULL")
    void absentMatchesOnlyMissingText(String actual, boolean result) {
        assertEquals(result, TextMatch.absent().matches(actual));
    }

    @org.junit.jupiter.api.Test
    void absentIsReadFromYaml() throws Exception {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"absent\": true}");
        assertEquals(TextMatch.absent(), TextMatch.fromYaml(node));
    }
}
