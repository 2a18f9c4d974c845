package io.kubetwin.scan;

import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.scan.audit.AuditCoverageCommand;
import io.kubetwin.scan.model.Severity;
import io.kubetwin.scan.report.ReportFormat;
import io.kubetwin.scan.report.Reports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kubetwin scan}: the command line. Read-only unless {@code --allow-writes}; exits 0 unless a finding at or
 * above {@code --fail-on} was made (3) or the scan could not run (1).
 */
@Command(
        name = "kubetwin scan",
        mixinStandardHelpOptions = true,
        subcommands = AuditCoverageCommand.class,
        description = "Asks a live cluster what anonymous clients, service accounts and the kubeconfig's user can do, "
                + "and reports each finding with the requests and answers that prove it.")
public final class ScanCommand implements Callable<Integer> {

    @Option(
            names = "--kubeconfig",
            description = "kubeconfig of the cluster to scan (required unless a subcommand runs)")
    Path kubeconfig;

    @Option(names = "--context", description = "context to use (default: the current context)")
    String context;

    @Option(
            names = "--kubelet",
            description =
                    "kubelet URL: https://HOST:10250 (authenticated port) or http://HOST:10255 (read-only port); repeatable")
    List<String> kubelets = new ArrayList<>();

    @Option(names = "--etcd", description = "etcd client URL, probed without a client certificate; repeatable")
    List<String> etcd = new ArrayList<>();

    @Option(names = "--audit-log", description = "the apiserver's audit log file (JSON lines)")
    Path auditLog;

    @Option(names = "--allow-writes", description = "create (and delete) a scratch namespace and send dry-run pods")
    boolean allowWrites;

    @Option(names = "--format", split = ",", description = "report formats: md, html, junit, sarif (default: all)")
    List<String> formats = new ArrayList<>(List.of("md", "html", "junit", "sarif"));

    @Option(names = "--out", description = "report directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("kubetwin-scan");

    @Option(
            names = "--fail-on",
            description = "exit 3 when a finding is at least this severity (CRITICAL, HIGH, MEDIUM, LOW, INFO)")
    Severity failOn;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScanCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (kubeconfig == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "Missing required option: '--kubeconfig'");
        }
        var config = Kubeconfig.read(kubeconfig);
        if (context != null) {
            config = config.toBuilder().currentContext(context).build();
        }
        var scanner = Scanner.standard();
        var options = new ScanOptions(kubelets, etcd, auditLog, allowWrites);
        var report = scanner.scan(config, options);
        var rules = scanner.checks().stream().flatMap(c -> c.rules().stream()).toList();
        var chosen = formats.stream().map(ReportFormat::parse).toList();
        var written = Reports.write(report, rules, chosen, out);
        var counts = report.countsBySeverity();
        System.out.println("kubetwin scan of " + report.server() + " as " + report.identity() + ": " + counts);
        for (var r : report.results()) {
            System.out.println("  " + r.check() + ": "
                    + (r.skipped()
                            ? "skipped (" + r.skippedReason() + ")"
                            : r.findings().size() + " finding(s)"));
        }
        written.forEach(p -> System.out.println("  report: " + p));
        if (failOn != null
                && report.findings().stream().anyMatch(f -> f.severity().compareTo(failOn) <= 0)) {
            return 3;
        }
        return 0;
    }
}
