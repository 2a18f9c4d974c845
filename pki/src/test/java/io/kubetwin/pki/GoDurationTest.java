package io.kubetwin.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {

    @ParameterizedTest(name = "{0} = {1}ns")
    @CsvSource(
            delimiter = '|',
            value = {
                "8760h        | 31536000000000000",
                "1h30m        | 5400000000000",
                "1.5h         | 5400000000000",
                "-90s         | -90000000000",
                "+5m          | 300000000000",
                "300ms        | 300000000",
                "0            | 0",
                "-0           | 0",
                "0s           | 0",
                "1h0m0s       | 3600000000000",
                ".5s          | 500000000",
                "5.s          | 5000000000",
                "1us          | 1000",
                "1\u00b5s     | 1000",
                "1\u03bcs     | 1000",
                "7ns          | 7",
                "2h45m30.5s   | 9930500000000",
                "1.0000000001s| 1000000000",
                "2562047h     | 9223369200000000000",
            })
    void parsesLikeGo(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(
            delimiter = '|',
            value = {
                "''       | time: invalid duration \"\"",
                "1        | time: missing unit in duration \"1\"",
                "1d       | time: unknown unit \"d\" in duration \"1d\"",
                "1h2x     | time: unknown unit \"x\" in duration \"1h2x\"",
                "h        | time: invalid duration \"h\"",
                "-        | time: invalid duration \"-\"",
                ".        | time: invalid duration \".\"",
                "3000000h | time: invalid duration \"3000000h\"",
                "1h 2m    | time: unknown unit \"h \" in duration \"1h 2m\"",
            })
    void rejectsLikeGo(String text, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text))
                        .getMessage());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "31536000000000000 | 8760h0m0s",
                "90000000000       | 1m30s",
                "1500000000        | 1.5s",
                "300000000         | 300ms",
                "1500000           | 1.5ms",
                "1000              | 1\u00b5s",
                "1                 | 1ns",
                "0                 | 0s",
                "-5400000000000    | -1h30m0s",
                "9930500000000     | 2h45m30.5s",
                "3600000000001     | 1h0m0.000000001s",
            })
    void formatsLikeGo(long nanos, String text) {
        assertEquals(text, GoDuration.format(Duration.ofNanos(nanos)));
    }
}
