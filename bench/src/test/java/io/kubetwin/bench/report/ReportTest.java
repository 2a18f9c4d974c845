package io.kubetwin.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static Summary s(double... values) {
        return Summary.of(Arrays.stream(values).boxed().toList());
    }

    private static Report sample() {
        Report r = new Report();
        r.add(new Figure(
                Plots.LATENCY_SECTION, "GET one ConfigMap", "req/s", Report.FAKE_JVM, 8, "off", s(900, 1000, 1100)));
        r.add(new Figure(Plots.LATENCY_SECTION, "GET one ConfigMap", "req/s", Report.REFERENCE, 8, "off", s(400, 500)));
        r.add(new Figure(Plots.LATENCY_SECTION, "GET one ConfigMap", "req/s", Report.CEILING, 8, "off", s(4000)));
        r.add(new Figure(Plots.LATENCY_SECTION, "GET one ConfigMap", "p50 ms", Report.FAKE_JVM, 8, "off", s(2)));
        r.add(new Figure(Plots.LATENCY_SECTION, "GET one ConfigMap", "p50 ms", Report.FAKE_JVM, 1, "off", s(1)));
        r.add(new Figure(Plots.BINDINGS_SECTION, "1,000 RoleBindings", "p50 ms", Report.FAKE_JVM, 0, "", s(0.5)));
        r.add(new Figure(Plots.BINDINGS_SECTION, "10 RoleBindings", "p50 ms", Report.FAKE_JVM, 0, "", s(0.4)));
        r.add(new Figure(
                Plots.STARTUP_SECTION, "process, existing cert dir", "ms", Report.FAKE_PROCESS, 0, "", s(900)));
        r.add(new Figure(Plots.STARTUP_SECTION, "process, existing cert dir", "ms", Report.REFERENCE, 0, "", s(3000)));
        r.note("reference (audit Metadata) not measured: no binaries");
        return r;
    }

    @Test
    void oneTablePerSectionWithRatiosOfMedians() {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("cores", "2");
        String md = sample().markdown("t", machine);
        assertTrue(md.startsWith("# t\n\n| machine | |\n| --- | --- |\n| cores | 2 |\n"), md);
        assertTrue(
                md.contains("| what | unit | concurrency | audit | fake-jvm | reference | ceiling | fake/reference"
                        + " | fake/ceiling |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"),
                md);
        // 1000 / 450 and 1000 / 4000
        assertTrue(
                md.contains("| GET one ConfigMap | req/s | 8 | off | 1000 (900–1100) | 450 (400–500) | 4000 | 2.22× |"
                        + " 0.25× |\n"),
                md);
        assertTrue(md.contains("| GET one ConfigMap | p50 ms | 8 | off | 2.00 | – | – | – | – |\n"), md);
        // the process is the fake of the ratio when it was measured
        assertTrue(md.contains("| process, existing cert dir | ms | 900 | 3000 | 0.30× | – |\n"), md);
        assertTrue(md.contains("## Notes\n\n- reference (audit Metadata) not measured: no binaries\n"), md);
    }

    @Test
    void theFakeOfTheRatioIsTheProcessWhenMeasured() {
        Map<String, Summary> both = Map.of(Report.FAKE_PROCESS, s(2), Report.FAKE_JVM, s(3));
        assertEquals(2, Report.fakeOf(both).median());
        assertEquals(
                3,
                Report.fakeOf(Map.of(Report.FAKE_PROCESS, Summary.NONE, Report.FAKE_JVM, s(3)))
                        .median());
    }

    @Test
    void plotsArePngFiles(@TempDir Path dir) throws Exception {
        List<Path> written = Plots.write(sample(), dir);
        assertEquals(
                List.of(
                        dir.resolve("latency-get-one-configmap.png"),
                        dir.resolve("decision-vs-bindings.png"),
                        dir.resolve("startup.png")),
                written);
        for (Path png : written) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(png), 4);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, png.toString());
        }
    }
}
