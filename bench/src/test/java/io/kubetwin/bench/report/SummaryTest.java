package io.kubetwin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SummaryTest {
    @ParameterizedTest
    @CsvSource({
        "'3', 3, 3, 3, 1",
        "'5 1 3', 3, 1, 5, 3",
        "'4 1 3 2', 2.5, 1, 4, 4",
        "'7 NaN 1', 4, 1, 7, 2",
    })
    void medianAndRange(String values, double median, double min, double max, int runs) {
        List<Double> list =
                Arrays.stream(values.split(" ")).map(Double::parseDouble).toList();
        assertEquals(new Summary(median, min, max, runs), Summary.of(list));
    }

    @Test
    void nothingMeasured() {
        Summary none = Summary.of(List.of(Double.NaN));
        assertFalse(none.measured());
        assertEquals("–", none.format());
        assertTrue(Double.isNaN(none.ratio(Summary.of(List.of(1.0)))));
        assertTrue(Double.isNaN(Summary.of(List.of(1.0)).ratio(Summary.of(List.of(0.0)))));
    }

    @Test
    void ratioOfMedians() {
        assertEquals(2.5, Summary.of(List.of(4.0, 5.0, 6.0)).ratio(Summary.of(List.of(1.0, 2.0, 9.0))));
        assertEquals("2.50×", Summary.ratioText(2.5));
    }

    @ParameterizedTest
    @CsvSource({"12345.6, 12346", "123.4, 123", "12.34, 12.3", "1.234, 1.23", "0.01234, 0.012", "0, 0"})
    void significantFigures(double v, String text) {
        assertEquals(text, Summary.number(v));
    }

    @Test
    void formatShowsTheRange() {
        assertEquals(
                "1200 (1100–1300)", Summary.of(List.of(1100.0, 1200.0, 1300.0)).format());
        assertEquals("5.00", Summary.of(List.of(5.0, 5.0)).format());
    }
}
