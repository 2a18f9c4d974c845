package io.kubetwin.apiserver.audit.backend;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;

/**
 * A size-rotated log file, as gopkg.in/natefinch/lumberjack.v2 (used by kube-apiserver's log backend):
 * before a write that would take the file over {@code maxBytes}, the file is renamed to
 * {@code <name>-<UTC yyyy-MM-ddTHH-mm-ss.SSS><ext>} (e.g. {@code audit-2024-01-02T03-04-05.678.log}) and a
 * new file is started with the same permissions; then, in the background, backups beyond
 * {@code maxBackups} or older than {@code maxAgeDays} (by the time in their name) are deleted and the others
 * gzipped to {@code <backup>.gz} when {@code compress} is set. Zero means no limit for both.
 *
 * <p>Lines are never split: each {@link #write} is one whole event, so every event lands in exactly one
 * file. Unlike lumberjack, a rotation within the same millisecond as the previous one does not overwrite
 * that backup: the time in the new name is moved forward by a millisecond until the name is free.
 * Thread-safe; {@link #close()} waits for background compression and clean-up.
 */
public final class LumberjackWriter implements LogOutput {
    public static final long MEGABYTE = 1024L * 1024L;
    private static final DateTimeFormatter BACKUP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS");
    private static final String GZ = ".gz";

    private final Path file;
    private final long maxBytes;
    private final int maxBackups;
    private final int maxAgeDays;
    private final boolean compress;
    private final Clock clock;
    private final ExecutorService mill;
    private final AtomicBoolean millPending = new AtomicBoolean();
    private final String prefix;
    private final String ext;
    private OutputStream out;
    private long size;
    private Instant lastBackup = Instant.MIN;

    /**
     * @param maxSizeMegabytes {@code --audit-log-maxsize}; 0 means lumberjack's default of 100 MB
     */
    public static LumberjackWriter megabytes(
            Path file, int maxSizeMegabytes, int maxBackups, int maxAgeDays, boolean compress) {
        long max = (maxSizeMegabytes == 0 ? 100 : maxSizeMegabytes) * MEGABYTE;
        return new LumberjackWriter(file, max, maxBackups, maxAgeDays, compress, Clock.systemUTC());
    }

    /** A writer rotating at any byte size, for tests that need many rotations. */
    public LumberjackWriter(Path file, long maxBytes, int maxBackups, int maxAgeDays, boolean compress, Clock clock) {
        this.file = file.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.maxBackups = maxBackups;
        this.maxAgeDays = maxAgeDays;
        this.compress = compress;
        this.clock = clock;
        String base = this.file.getFileName().toString();
        int dot = base.lastIndexOf('.');
        this.ext = dot >= 0 ? base.substring(dot) : "";
        this.prefix = base.substring(0, base.length() - ext.length()) + "-";
        this.mill = Executors.newSingleThreadExecutor(Threads.named("audit-log-mill"));
    }

    /** The size a file may reach before it is rotated. */
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public synchronized void write(byte[] line) throws IOException {
        if (line.length > maxBytes) {
            throw new IOException("write length " + line.length + " exceeds maximum file size " + maxBytes);
        }
        if (out == null) {
            openExistingOrNew(line.length);
        }
        if (size + line.length > maxBytes) {
            rotate();
        }
        out.write(line);
        size += line.length;
    }

    private void openExistingOrNew(int writeLength) throws IOException {
        mill();
        if (!Files.exists(file)) {
            openNew();
            return;
        }
        long existing = Files.size(file);
        if (existing + writeLength >= maxBytes) {
            rotate();
            return;
        }
        out = new FileOutputStream(file.toFile(), true);
        size = existing;
    }

    private void rotate() throws IOException {
        closeFile();
        openNew();
        mill();
    }

    private void openNew() throws IOException {
        Files.createDirectories(file.getParent());
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-------");
        if (Files.exists(file)) {
            try {
                mode = Files.getPosixFilePermissions(file);
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: keep the default
            }
            Files.move(file, backupName(), StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(mode));
        } catch (FileAlreadyExistsException | UnsupportedOperationException e) {
            // created meanwhile by someone else, or no POSIX attributes: open it anyway
        }
        out = new FileOutputStream(file.toFile(), false);
        size = 0;
    }

    /** The backup name for now, moved on by a millisecond while it would replace an existing backup. */
    private Path backupName() {
        Instant t = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (!t.isAfter(lastBackup)) {
            t = lastBackup.plusMillis(1);
        }
        while (true) {
            Path candidate = file.resolveSibling(prefix + BACKUP_TIME.format(t.atOffset(ZoneOffset.UTC)) + ext);
            if (!Files.exists(candidate) && !Files.exists(candidate.resolveSibling(candidate.getFileName() + GZ))) {
                lastBackup = t;
                return candidate;
            }
            t = t.plusMillis(1);
        }
    }

    private void closeFile() throws IOException {
        if (out != null) {
            try {
                out.close();
            } finally {
                out = null;
            }
        }
    }

    /** Schedules one clean-up pass; passes requested while one is pending coalesce, as lumberjack's do. */
    private void mill() {
        if (maxBackups == 0 && maxAgeDays == 0 && !compress) {
            return;
        }
        if (millPending.compareAndSet(false, true)) {
            mill.execute(() -> {
                millPending.set(false);
                try {
                    millRunOnce();
                } catch (IOException e) {
                    System.getLogger(LumberjackWriter.class.getName())
                            .log(System.Logger.Level.WARNING, "audit log clean-up failed: " + e);
                }
            });
        }
    }

    private record Backup(Path path, Instant time) {}

    private void millRunOnce() throws IOException {
        List<Backup> files = oldLogFiles();
        List<Backup> remove = new ArrayList<>();
        if (maxBackups > 0 && maxBackups < files.size()) {
            Set<String> preserved = new HashSet<>();
            List<Backup> remaining = new ArrayList<>();
            for (Backup f : files) {
                String name = f.path().getFileName().toString();
                preserved.add(name.endsWith(GZ) ? name.substring(0, name.length() - GZ.length()) : name);
                if (preserved.size() > maxBackups) {
                    remove.add(f);
                } else {
                    remaining.add(f);
                }
            }
            files = remaining;
        }
        if (maxAgeDays > 0) {
            Instant cutoff = clock.instant().minus(Duration.ofDays(maxAgeDays));
            List<Backup> remaining = new ArrayList<>();
            for (Backup f : files) {
                (f.time().isBefore(cutoff) ? remove : remaining).add(f);
            }
            files = remaining;
        }
        for (Backup f : remove) {
            Files.deleteIfExists(f.path());
        }
        if (compress) {
            for (Backup f : files) {
                if (!f.path().getFileName().toString().endsWith(GZ)) {
                    compress(f.path());
                }
            }
        }
    }

    /** Backups of this log, newest first. */
    private List<Backup> oldLogFiles() throws IOException {
        List<Backup> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent())) {
            for (Path p : dir) {
                if (Files.isDirectory(p)) {
                    continue;
                }
                String name = p.getFileName().toString();
                Instant t = timeFromName(name, ext);
                if (t == null) {
                    t = timeFromName(name, ext + GZ);
                }
                if (t != null) {
                    out.add(new Backup(p, t));
                }
            }
        }
        out.sort(Comparator.comparing(Backup::time).reversed());
        return out;
    }

    private Instant timeFromName(String name, String suffix) {
        if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length() < prefix.length() + suffix.length()) {
            return null;
        }
        try {
            return LocalDateTime.parse(name.substring(prefix.length(), name.length() - suffix.length()), BACKUP_TIME)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void compress(Path src) throws IOException {
        Path dst = src.resolveSibling(src.getFileName() + GZ);
        try (InputStream in = Files.newInputStream(src);
                OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dst))) {
            in.transferTo(gz);
        } catch (IOException e) {
            Files.deleteIfExists(dst);
            throw new IOException("failed to compress log file: " + e.getMessage(), e);
        }
        try {
            Files.setPosixFilePermissions(dst, Files.getPosixFilePermissions(src));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX
        }
        Files.delete(src);
    }

    @Override
    public void close() {
        synchronized (this) {
            try {
                closeFile();
            } catch (IOException e) {
                System.getLogger(LumberjackWriter.class.getName())
                        .log(System.Logger.Level.WARNING, "closing audit log: " + e);
            }
        }
        mill.shutdown();
        BlockingBackend.awaitQuietly(mill);
    }
}
