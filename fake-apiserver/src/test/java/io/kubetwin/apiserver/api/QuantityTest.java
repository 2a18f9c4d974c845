package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's canonical quantity forms (resource.Quantity.String), as the reference prints them. */
class QuantityTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            0.05, 50m
            500m, 500m
            1000m, 1
            0.9, 900m
            1500, 1500
            2000, 2k
            1, 1
            0, 0
            0Mi, 0
            256Mi, 256Mi
            2048Mi, 2Gi
            1.5Gi, 1536Mi
            512, 512
            1536, 1536
            1Ki, 1Ki
            129e6, 129e6
            1e3, 1e3
            1E3, 1e3
            0.1Ki, 102400m
            1n, 1n
            0.0000000001, 1n
            -500m, -500m
            """)
    void printsTheCanonicalForm(String in, String out) {
        assertEquals(out, Quantity.parse(in).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.2.3", "1Kb", "Mi", "1 Gi"})
    void refusesWhatIsNotAQuantity(String in) {
        assertTrue(Quantity.tryParse(in).isEmpty(), in);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            500m, 1, 500
            1, 1, 1000
            1n, 1, 1
            1.5, 2, 1500
            """)
    void valuesRoundUp(String in, long value, long milli) {
        assertEquals(value, Quantity.parse(in).longValue());
        assertEquals(milli, Quantity.parse(in).milliValue());
    }

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource(textBlock = """
            600m, 400m, 1
            512Mi, 512Mi, 1Gi
            0, 512Mi, 512Mi
            1, 500m, 1500m
            """)
    void addsKeepingTheFirstNonZeroFormat(String a, String b, String sum) {
        assertEquals(sum, Quantity.parse(a).add(Quantity.parse(b)).toString());
    }
}
