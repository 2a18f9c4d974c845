package io.kubetwin.scenarios.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An audit log in JSON lines format (kube-apiserver's {@code --audit-log-format=json}); marks are byte offsets. */
public final class FileAuditLog implements ClusterAuditLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public FileAuditLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public long mark() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public List<JsonNode> since(long mark) {
        var out = new ArrayList<JsonNode>();
        if (!Files.exists(file)) {
            return out;
        }
        try (var raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            if (length <= mark) {
                return out;
            }
            var bytes = new byte[(int) (length - mark)];
            raf.seek(mark);
            raf.readFully(bytes);
            var text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return out; // a line still being written
            }
            for (var line : text.substring(0, end).split("\n")) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + file, e);
        }
        return out;
    }

    @Override
    public boolean readable() {
        return true;
    }
}
