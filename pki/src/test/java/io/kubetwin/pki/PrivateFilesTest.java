package io.kubetwin.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

    @Test
    void aPrivateFileIsOwnerOnlyEvenWhenItReplacesAReadableOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("admin.kubeconfig");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        PrivateFiles.write(file, "new");

        assertEquals("new", Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of(file), listed(dir), "no temporary file is left beside it");
    }

    @Test
    void aPublicFileIsReadableByOthers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/ca.crt");

        PrivateFiles.writePublic(file, "cert");

        assertEquals("cert", Files.readString(file));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    /** kubectl reading the admin kubeconfig while a restarting server rewrites it must never see half of it. */
    @Test
    void aReaderSeesTheOldTextOrTheNewNeverAPart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("admin.kubeconfig");
        String a = "a".repeat(200_000);
        String b = "b".repeat(150_000);
        PrivateFiles.write(file, a);
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> failures = new ArrayList<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 200; i++) {
                    PrivateFiles.write(file, i % 2 == 0 ? b : a);
                }
            } catch (Exception e) {
                failures.add(e);
            } finally {
                done.set(true);
            }
        });
        writer.start();
        while (!done.get()) {
            String read = Files.readString(file);
            assertTrue(read.equals(a) || read.equals(b), "read " + read.length() + " characters");
        }
        writer.join();
        assertEquals(List.of(), failures);
        assertEquals(List.of(file), listed(dir));
    }

    private static List<Path> listed(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
