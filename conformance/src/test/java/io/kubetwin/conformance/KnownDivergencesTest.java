package io.kubetwin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.scenarios.compare.Difference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KnownDivergencesTest {

    private static final KnownDivergences KNOWN = new KnownDivergences(List.of(
            new KnownDivergences.Entry(
                    "seed1-audit-metadata", "a watch*", "audit[ResponseStarted]/*", "fake", "watch timing"),
            new KnownDivergences.Entry("*", "whoami", "json:/status/userInfo/extra", null, "no credential id yet")));

    @ParameterizedTest
    @CsvSource({
        "seed1-audit-metadata, a watch has a ResponseStarted stage, audit[ResponseStarted]/stageTimestamp, fake, watch timing",
        "seed1-audit-metadata, a watch has a ResponseStarted stage, audit[ResponseStarted]/level, k3s, ",
        "seed1-audit-metadata, a watch has a ResponseStarted stage, audit[ResponseComplete]/level, fake, ",
        "any-suite, whoami, json:/status/userInfo/extra, k3s, no credential id yet",
        "any-suite, whoami, json:/status/userInfo/extras, k3s, ",
    })
    void accepts(String suite, String step, String field, String target, String reason) {
        var d = new Difference(suite, step, "reference", target, field, "a", "b");
        assertEquals(
                reason, KNOWN.accepting(d).map(KnownDivergences.Entry::reason).orElse(null));
    }

    @Test
    void theShippedListLoads() {
        var shipped = KnownDivergences.load(Path.of("known-divergences.yaml"));
        assertEquals(
                shipped.divergences().size(),
                shipped.divergences().stream()
                        .filter(e -> !e.reason().isBlank())
                        .count());
    }

    @Test
    void anEntryWithoutReasonIsRefused(@TempDir Path dir) throws Exception {
        var file = dir.resolve("k.yaml");
        Files.writeString(file, "divergences: [{suite: s, step: t, field: status}]\n");
        var e = Assertions.assertThrows(Exception.class, () -> KnownDivergences.load(file));
        Assertions.assertTrue(String.valueOf(e.getMessage()).contains("reason"), e.getMessage());
    }
}
