package io.kubetwin.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Auditing for the apiserver targets: off (no policy), or every request at one level into a JSON log file, with the
 * same {@code --audit-*} flags for the fake and the reference.
 */
public record AuditLevel(String level) {
    public static final AuditLevel OFF = new AuditLevel("off");

    public static AuditLevel parse(String s) {
        return switch (s) {
            case "off", "None" -> OFF;
            case "Metadata", "Request", "RequestResponse" -> new AuditLevel(s);
            default -> throw new IllegalArgumentException("audit level: off, Metadata, Request or RequestResponse");
        };
    }

    public boolean on() {
        return !level.equals("off");
    }

    /** The policy file (one rule at this level for every request) written under {@code dir}. */
    public Path policyFile(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(
                dir.resolve("audit-policy-" + level + ".yaml"),
                "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: " + level + "\n");
    }

    /** kube-apiserver's flags for this level, logging to {@code dir/audit.log}; none when off. */
    public List<String> flags(Path dir) throws IOException {
        if (!on()) {
            return List.of();
        }
        return List.of("--audit-policy-file=" + policyFile(dir), "--audit-log-path=" + dir.resolve("audit.log"));
    }

    @Override
    public String toString() {
        return level;
    }
}
