package io.kubetwin.apiserver.audit.reader;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Audit events read back, in order, with fluent filters ({@link #query()}):
 * <pre>{@code
 * AuditLog log = AuditLog.read(Path.of("/var/log/audit.log"));
 * AuditEvent e = log.query().user("alice").verb("create").resource("secrets").stage(Stage.RESPONSE_COMPLETE).single();
 * assertEquals("forbid", e.annotation("authorization.k8s.io/decision"));
 * }</pre>
 * Immutable and thread-safe.
 */
public final class AuditLog {
    private final List<AuditEvent> events;

    private AuditLog(List<AuditEvent> events) {
        this.events = List.copyOf(events);
    }

    public static AuditLog of(Collection<AuditEvent> events) {
        return new AuditLog(new ArrayList<>(events));
    }

    /**
     * A JSON-lines audit log and its rotated backups ({@code <name>-<time><ext>}, gzipped or not), oldest
     * backup first and the current file last. A missing current file reads as empty.
     */
    public static AuditLog read(Path file) {
        List<AuditEvent> all = new ArrayList<>();
        for (Path p : files(file)) {
            all.addAll(parseLines(readText(p)));
        }
        return new AuditLog(all);
    }

    /** The files {@link #read} reads, in its order: backups by the time in their names, then the log itself. */
    public static List<Path> files(Path file) {
        Path abs = file.toAbsolutePath();
        String base = abs.getFileName().toString();
        int dot = base.lastIndexOf('.');
        String ext = dot >= 0 ? base.substring(dot) : "";
        String prefix = base.substring(0, base.length() - ext.length()) + "-";
        List<Path> backups = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(abs.getParent())) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                String stem = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
                if (stem.startsWith(prefix)
                        && stem.endsWith(ext)
                        && !stem.equals(base)
                        && stem.length() == prefix.length() + "2006-01-02T15-04-05.000".length() + ext.length()) {
                    backups.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the time in the name sorts lexicographically; a .gz and a plain backup never share a time
        backups.sort((a, b) -> stem(a).compareTo(stem(b)));
        List<Path> out = new ArrayList<>(backups);
        if (Files.exists(abs)) {
            out.add(abs);
        }
        return out;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n;
    }

    private static String readText(Path p) {
        try (InputStream raw = Files.newInputStream(p);
                InputStream in = p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events of JSON lines (empty lines are skipped). */
    public static AuditLog parse(String jsonLines) {
        return new AuditLog(parseLines(jsonLines));
    }

    private static List<AuditEvent> parseLines(String text) {
        List<AuditEvent> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(AuditEventJson.parse(line));
            }
        }
        return out;
    }

    /** Events of webhook bodies ({@code EventList}s), in order. */
    public static AuditLog fromEventLists(List<byte[]> bodies) {
        List<AuditEvent> out = new ArrayList<>();
        for (byte[] body : bodies) {
            try {
                JsonNode list = GoJson.mapper().readTree(new ByteArrayInputStream(body));
                list.path("items").forEach(item -> out.add(AuditEventJson.fromTree(item)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new AuditLog(out);
    }

    public List<AuditEvent> events() {
        return events;
    }

    public int size() {
        return events.size();
    }

    /** A query over all events; narrow it with its filters. */
    public AuditQuery query() {
        return new AuditQuery(events, List.of());
    }
}
