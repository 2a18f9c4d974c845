package io.kubetwin.scan.checks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.scan.model.Exchange;
import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the apiserver keeps an audit trail, and whether the scan itself is in it: every request of the scan carried
 * an {@code Audit-ID} the scan chose, which kube-apiserver uses as the event's {@code auditID}. Runs last.
 */
public final class AuditPresenceCheck implements Check {
    static final String SEED =
            "first seed article, Event Audit; second seed article, Kubernetes API audit and security log";
    private static final ObjectMapper JSON = new ObjectMapper();

    static final Rule NO_LOG = new Rule(
            "KT-AUDIT-NONE",
            "The audit log is missing or empty",
            Severity.HIGH,
            "CIS 1.2.16 (--audit-log-path); CIS 3.2.1 (a minimal audit policy); " + SEED,
            "Start kube-apiserver with --audit-policy-file and --audit-log-path.");
    static final Rule BLIND = new Rule(
            "KT-AUDIT-BLIND",
            "The scan's own requests are not in the audit log",
            Severity.MEDIUM,
            "CIS 3.2.1 (a minimal audit policy); CIS 3.2.2 (the policy covers key security concerns); " + SEED,
            "The audit policy drops these requests (level None) or the log is another apiserver's.");

    @Override
    public String name() {
        return "audit-presence";
    }

    @Override
    public String description() {
        return "Whether the audit log given exists, is not empty, and holds events for the scan's own requests";
    }

    @Override
    public List<Rule> rules() {
        return List.of(NO_LOG, BLIND);
    }

    @Override
    public Optional<String> skipReason(ScanContext context) {
        return context.options().auditLogFile().isEmpty() ? Optional.of("no --audit-log given") : Optional.empty();
    }

    @Override
    public void run(ScanContext context, Findings out) {
        Path file = context.options().auditLog();
        int sent = context.auditIds().sent();
        String prefix = context.auditIds().prefix();
        Set<String> seen = Set.of();
        long lines = 0;
        // the apiserver writes events as requests complete; give the last ones a moment to reach the file
        for (int attempt = 0; attempt < 20; attempt++) {
            if (!Files.isRegularFile(file)) {
                break;
            }
            var read = read(file, prefix);
            seen = read.ids();
            lines = read.lines();
            if (seen.size() >= sent) {
                break;
            }
            sleep();
        }
        var evidence = new Exchange(
                "scan",
                "READ",
                file.toString(),
                null,
                0,
                (Files.isRegularFile(file) ? lines + " event line(s), " : "no such file, ") + seen.size()
                        + " of the scan's " + sent + " Audit-IDs (" + prefix + "N)",
                null);
        if (lines == 0) {
            out.add(NO_LOG.finding(
                    file.toString(), "The audit log " + file + " is missing or empty.", List.of(evidence)));
        } else if (seen.isEmpty()) {
            out.add(BLIND.finding(
                    file.toString(),
                    "None of the scan's " + sent + " requests (Audit-ID " + prefix + "N) is in " + file + ".",
                    List.of(evidence)));
        } else if (seen.size() < sent) {
            out.note(seen.size() + " of the scan's " + sent
                    + " requests are in the audit log: the policy drops the rest");
        }
    }

    record Read(long lines, Set<String> ids) {}

    private static Read read(Path file, String prefix) {
        var ids = new HashSet<String>();
        long lines = 0;
        try (var stream = Files.lines(file)) {
            for (var line : (Iterable<String>) stream::iterator) {
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                if (line.contains(prefix)) {
                    try {
                        var id = JSON.readTree(line).path("auditID").asText();
                        if (id.startsWith(prefix)) {
                            ids.add(id);
                        }
                    } catch (IOException e) {
                        // a line cut in the middle of being written; the next read sees it whole
                    }
                }
            }
        } catch (IOException e) {
            return new Read(0, Set.of());
        }
        return new Read(lines, ids);
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
