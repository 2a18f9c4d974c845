package io.kubetwin.apiserver.audit.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.audit.reader.AuditLog;
import io.kubetwin.apiserver.testing.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation as lumberjack does it, without ever splitting or losing a line. */
class LumberjackWriterTest {
    @TempDir
    Path dir;

    private static byte[] line(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void rotatesBeforeAWriteThatWouldOverflow() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2024-01-02T03:04:05.678Z"));
        LumberjackWriter w = new LumberjackWriter(dir.resolve("audit.log"), 10, 0, 0, false, clock);
        w.write(line("aaaa")); // 5 bytes
        w.write(line("bbbb")); // 10: fits exactly
        w.write(line("cc")); // would make 13: rotate first
        clock.advance(Duration.ofSeconds(1));
        w.write(line("dddddd")); // 3 + 7 = 10: fits
        w.write(line("e")); // rotate
        w.close();
        assertEquals(
                List.of("audit-2024-01-02T03-04-05.678.log", "audit-2024-01-02T03-04-06.678.log", "audit.log"),
                names());
        assertEquals("aaaa\nbbbb\n", Files.readString(dir.resolve("audit-2024-01-02T03-04-05.678.log")));
        assertEquals("cc\ndddddd\n", Files.readString(dir.resolve("audit-2024-01-02T03-04-06.678.log")));
        assertEquals("e\n", Files.readString(dir.resolve("audit.log")));
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("audit.log"))));
    }

    @Test
    void rotationsWithinOneMillisecondKeepEveryBackup() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2024-01-02T03:04:05.678Z"));
        LumberjackWriter w = new LumberjackWriter(dir.resolve("audit.log"), 4, 0, 0, false, clock);
        for (String s : List.of("a1", "b2", "c3", "d4")) {
            w.write(line(s));
        }
        w.close();
        assertEquals(
                List.of(
                        "audit-2024-01-02T03-04-05.678.log",
                        "audit-2024-01-02T03-04-05.679.log",
                        "audit-2024-01-02T03-04-05.680.log",
                        "audit.log"),
                names());
    }

    @Test
    void appendsToAnExistingFileAndRotatesItWhenFull() throws Exception {
        Files.writeString(dir.resolve("a.log"), "old\n");
        TestClock clock = new TestClock(Instant.parse("2024-01-02T03:04:05Z"));
        LumberjackWriter w = new LumberjackWriter(dir.resolve("a.log"), 8, 0, 0, false, clock);
        w.write(line("x")); // 4 + 2 < 8: appended
        w.write(line("yy")); // 6 + 3 > 8: rotated
        w.close();
        assertEquals("old\nx\n", Files.readString(dir.resolve("a-2024-01-02T03-04-05.000.log")));
        assertEquals("yy\n", Files.readString(dir.resolve("a.log")));
    }

    @Test
    void aLineLongerThanTheMaximumIsRefused() throws Exception {
        LumberjackWriter w =
                new LumberjackWriter(dir.resolve("audit.log"), 4, 0, 0, false, new TestClock(Instant.EPOCH));
        IOException e = assertThrows(IOException.class, () -> w.write(line("abcdef")));
        assertEquals("write length 7 exceeds maximum file size 4", e.getMessage());
        w.close();
    }

    @Test
    void keepsMaxBackupsNewestAndCompressesThem() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2024-01-02T00:00:00Z"));
        LumberjackWriter w = new LumberjackWriter(dir.resolve("audit.log"), 6, 2, 0, true, clock);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String s = "l" + i + "-x";
            w.write(line(s));
            written.add(s);
            clock.advance(Duration.ofMinutes(1));
        }
        w.close();
        // l0..l3 were rotated out; the two newest backups stay, gzipped
        assertEquals(
                List.of("audit-2024-01-02T00-03-00.000.log.gz", "audit-2024-01-02T00-04-00.000.log.gz", "audit.log"),
                names());
        assertEquals(
                List.of(
                        dir.resolve("audit-2024-01-02T00-03-00.000.log.gz"),
                        dir.resolve("audit-2024-01-02T00-04-00.000.log.gz"),
                        dir.resolve("audit.log")),
                AuditLog.files(dir.resolve("audit.log")));
        assertEquals(
                "l2-x\n",
                new String(
                        new GZIPInputStream(Files.newInputStream(dir.resolve("audit-2024-01-02T00-03-00.000.log.gz")))
                                .readAllBytes()));
    }

    @Test
    void removesBackupsOlderThanMaxAge() throws Exception {
        Files.writeString(dir.resolve("audit-2023-12-01T00-00-00.000.log"), "ancient\n");
        Files.writeString(dir.resolve("audit-2024-01-01T12-00-00.000.log"), "recent\n");
        Files.writeString(dir.resolve("unrelated-2023-12-01T00-00-00.000.log"), "kept\n");
        TestClock clock = new TestClock(Instant.parse("2024-01-02T00:00:00Z"));
        LumberjackWriter w = new LumberjackWriter(dir.resolve("audit.log"), 100, 0, 7, false, clock);
        w.write(line("now"));
        w.close();
        assertEquals(
                List.of("audit-2024-01-01T12-00-00.000.log", "audit.log", "unrelated-2023-12-01T00-00-00.000.log"),
                names());
        assertTrue(Files.exists(dir.resolve("audit.log")));
    }

    @Test
    void maxSizeIsInMegabytesAndZeroMeansOneHundred() {
        LumberjackWriter zero = LumberjackWriter.megabytes(dir.resolve("a.log"), 0, 0, 0, false);
        LumberjackWriter two = LumberjackWriter.megabytes(dir.resolve("b.log"), 2, 0, 0, false);
        assertEquals(104_857_600L, zero.maxBytes());
        assertEquals(2_097_152L, two.maxBytes());
        zero.close();
        two.close();
    }
}
