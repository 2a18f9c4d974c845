package io.kubetwin.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes files holding secrets with mode 0600 where the file system has POSIX permissions. */
final class PrivateFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /**
     * Writes {@code text}, creating parent folders; the file is never readable by others, not even briefly, and a
     * reader (kubectl reading a kubeconfig the server rewrites at start-up) sees the old content or the new, never
     * a truncated file: the text goes to a private temporary file beside it, then replaces it in one rename.
     */
    static void write(Path file, String text) throws IOException {
        replace(file, text, true);
    }

    /** Writes a public file (certificates), creating parent folders, replaced in one rename as {@link #write}. */
    static void writePublic(Path file, String text) throws IOException {
        replace(file, text, false);
    }

    private static void replace(Path file, String text, boolean ownerOnly) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                && file.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path temporary = ownerOnly && posix
                ? Files.createTempFile(
                        parent, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            if (!ownerOnly && posix) {
                // createTempFile makes it 0600; a certificate is readable as a plain file would be (0644)
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
