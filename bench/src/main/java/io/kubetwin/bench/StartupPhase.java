package io.kubetwin.bench;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.bench.report.Figure;
import io.kubetwin.bench.report.Plots;
import io.kubetwin.bench.report.Report;
import io.kubetwin.bench.report.Summary;
import io.kubetwin.bench.target.AuditLevel;
import io.kubetwin.bench.target.BenchPki;
import io.kubetwin.bench.target.FakeProcessTarget;
import io.kubetwin.bench.target.Processes;
import io.kubetwin.bench.target.ReferenceTarget;
import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.Kubeconfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Start-up to the first authenticated answer ({@code GET /api/v1/namespaces/default} with an admin certificate,
 * polled every 5 ms): the fake as a process with a cold and with an existing cert dir, etcd + kube-apiserver (fresh
 * etcd data, PKI files given), and the fake in this JVM (its first start, then later ones). Runs first, so that the
 * first in-JVM start is the JVM's first.
 */
final class StartupPhase {
    static final String COLD = "process, cold cert dir";
    static final String EXISTING = "process, existing cert dir";
    static final String DATA_COLD = "process, --data-dir, cold (empty dir)";
    static final String DATA_EXISTING = "process, --data-dir, existing dir";
    static final String JVM_FIRST = "in-JVM, first start in the JVM";
    static final String JVM_LATER = "in-JVM, later starts";

    private final BenchOptions options;
    private final BenchPki pki;
    private final Path dir;
    private final Report report;

    StartupPhase(BenchOptions options, BenchPki pki, Path dir, Report report) {
        this.options = options;
        this.pki = pki;
        this.dir = dir;
        this.report = report;
    }

    void run() {
        if (options.measures(Report.FAKE_JVM)) {
            inJvm();
        }
        if (options.measures(Report.FAKE_PROCESS)) {
            report.note(
                    FakeProcessTarget.classDataSharingArchive(options.fakeJar())
                            .map(a -> "the fake's process starts map the class-data-sharing archive " + a.getFileName()
                                    + " built beside the jar (-XX:SharedArchiveFile)")
                            .orElse(
                                    "the fake's process starts run without a class-data-sharing archive (none beside the jar)"));
            List<Double> cold = new ArrayList<>();
            List<Double> existing = new ArrayList<>();
            Path reused = dir.resolve("fake-existing");
            try {
                for (int i = 0; i < options.startupRuns(); i++) {
                    cold.add(fakeProcess(dir.resolve("fake-cold-" + i)));
                }
                fakeProcess(reused); // generates the PKI that the measured starts reuse
                for (int i = 0; i < options.startupRuns(); i++) {
                    existing.add(fakeProcess(reused));
                }
            } catch (Exception e) {
                report.note("fake process start-up not measured: " + e.getMessage());
            }
            add(COLD, Report.FAKE_PROCESS, cold);
            add(EXISTING, Report.FAKE_PROCESS, existing);
            persistent();
        }
        if (options.measures(Report.REFERENCE)) {
            var bin = ReferenceTarget.binDir();
            if (bin.isEmpty()) {
                report.note("reference start-up not measured: no binaries (KUBETWIN_REFERENCE_BIN or "
                        + "ci/reference/build-reference.sh)");
                return;
            }
            List<Double> ref = new ArrayList<>();
            try {
                for (int i = 0; i < options.startupRuns(); i++) {
                    try (ReferenceTarget t = ReferenceTarget.start(
                            bin.get(), pki, dir.resolve("reference-" + i), AuditLevel.OFF, options.startTimeout())) {
                        ref.add(t.startMillis());
                    }
                }
            } catch (Exception e) {
                report.note("reference start-up not measured: " + e.getMessage());
            }
            // the reference is always given its PKI files: its line is the existing-cert-dir one
            add(EXISTING, Report.REFERENCE, ref);
        }
    }

    private double fakeProcess(Path certDir) throws Exception {
        return fakeProcess(certDir, null);
    }

    private double fakeProcess(Path certDir, Path dataDir) throws Exception {
        try (FakeProcessTarget t = FakeProcessTarget.start(
                options.fakeJar(),
                certDir,
                dataDir,
                null,
                certDir.resolve("logs"),
                AuditLevel.OFF,
                options.startTimeout())) {
            return t.startMillis();
        }
    }

    /**
     * As the demo runs: the objects in the embedded durable store ({@code --data-dir}); cold = empty cert and data
     * dirs (the PKI generated, the bootstrap objects written), then starts with both kept.
     */
    private void persistent() {
        List<Double> cold = new ArrayList<>();
        List<Double> existing = new ArrayList<>();
        Path kept = dir.resolve("fake-data-existing");
        try {
            for (int i = 0; i < options.startupRuns(); i++) {
                Path d = dir.resolve("fake-data-cold-" + i);
                cold.add(fakeProcess(d, d.resolve("data")));
            }
            fakeProcess(kept, kept.resolve("data")); // the PKI and objects the measured starts find
            for (int i = 0; i < options.startupRuns(); i++) {
                existing.add(fakeProcess(kept, kept.resolve("data")));
            }
        } catch (Exception e) {
            report.note("fake process start-up with --data-dir not measured: " + e.getMessage());
        }
        add(DATA_COLD, Report.FAKE_PROCESS, cold);
        add(DATA_EXISTING, Report.FAKE_PROCESS, existing);
    }

    /** startBlocking (in-memory PKI, as tests use it) to the first authenticated answer with its admin kubeconfig. */
    private void inJvm() {
        List<Double> later = new ArrayList<>();
        try {
            for (int i = 0; i <= options.startupRuns(); i++) {
                long began = System.nanoTime();
                try (FakeApiServer server =
                        FakeApiServer.startBlocking(ApiServerConfig.builder().build())) {
                    long answered = Processes.awaitAuthenticatedAnswer(
                            server.url(),
                            KeyStores.clientContext(Kubeconfig.parse(server.adminKubeconfig())),
                            options.startTimeout(),
                            null);
                    double ms = (answered - began) / 1e6;
                    if (i == 0) {
                        add(JVM_FIRST, Report.FAKE_JVM, List.of(ms));
                    } else {
                        later.add(ms);
                    }
                }
            }
        } catch (Exception e) {
            report.note("in-JVM start-up not measured: " + e.getMessage());
        }
        add(JVM_LATER, Report.FAKE_JVM, later);
    }

    private void add(String row, String target, List<Double> millis) {
        if (!millis.isEmpty()) {
            report.add(new Figure(Plots.STARTUP_SECTION, row, "ms", target, 0, "", Summary.of(millis)));
            BenchMain.log(
                    "start-up " + row + " " + target + ": " + Summary.of(millis).format() + " ms");
        }
    }
}
