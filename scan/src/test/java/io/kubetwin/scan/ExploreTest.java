package io.kubetwin.scan;

import io.kubetwin.scan.report.ReportFormat;
import io.kubetwin.scan.report.Reports;
import io.kubetwin.scenarios.target.Targets;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExploreTest {
    @TempDir
    Path dir;

    @Test
    void explore() throws Exception {
        var vertx = Vertx.vertx();
        var target = Targets.byName(System.getProperty("explore.target", "fake"));
        boolean insecure = Boolean.getBoolean("explore.insecure");
        var flags = insecure
                ? new String[] {"--anonymous-auth=true", "--authorization-mode=AlwaysAllow"}
                : new String[] {"--anonymous-auth=false"};
        if (target.name().equals("reference")) flags = new String[0];
        try (var cluster = ScanTargets.start(target, dir, !insecure, flags)) {
            var kubelet = ScanTargets.kubelet(vertx, dir, insecure);
            var options = new ScanOptions(
                    insecure
                            ? List.of(
                                    "https://127.0.0.1:" + kubelet.port(), "http://127.0.0.1:" + kubelet.readOnlyPort())
                            : List.of("https://127.0.0.1:" + kubelet.port()),
                    List.of(),
                    insecure ? dir.resolve("no-audit.log") : ScanTargets.auditLog(dir, target),
                    true);
            var scanner = Scanner.standard();
            var report = scanner.scan(cluster.admin(), options);
            var rules =
                    scanner.checks().stream().flatMap(c -> c.rules().stream()).toList();
            Reports.write(
                    report,
                    rules,
                    List.of(ReportFormat.values()),
                    Path.of("/tmp/scan-explore-" + target.name() + (insecure ? "-insecure" : "")));
            ScanTargets.keys(report).forEach(System.out::println);
            report.results().forEach(r -> r.notes().forEach(n -> System.out.println("NOTE " + r.check() + ": " + n)));
        } finally {
            vertx.close();
        }
    }
}
