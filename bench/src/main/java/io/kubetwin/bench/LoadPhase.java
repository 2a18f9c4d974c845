package io.kubetwin.bench;

import io.kubetwin.bench.load.Fixtures;
import io.kubetwin.bench.load.LoadGenerator;
import io.kubetwin.bench.load.LoadResult;
import io.kubetwin.bench.load.LoadSpec;
import io.kubetwin.bench.load.Operation;
import io.kubetwin.bench.load.Operations;
import io.kubetwin.bench.load.WatchFanOut;
import io.kubetwin.bench.report.Figure;
import io.kubetwin.bench.report.Plots;
import io.kubetwin.bench.report.Report;
import io.kubetwin.bench.report.Summary;
import io.kubetwin.bench.target.AuditLevel;
import io.kubetwin.bench.target.BenchPki;
import io.kubetwin.bench.target.CeilingTarget;
import io.kubetwin.bench.target.FakeJvmTarget;
import io.kubetwin.bench.target.FakeProcessTarget;
import io.kubetwin.bench.target.Processes;
import io.kubetwin.bench.target.ReferenceTarget;
import io.kubetwin.bench.target.Target;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Throughput and latency of every operation at every concurrency, per audit level, on every target that starts, in
 * alternating rounds (round r measures every target before round r+1, so that a busy moment of a shared machine hits
 * all alike); resident memory of the process targets after seeding and after the load.
 */
final class LoadPhase {
    static final String MEMORY_SECTION = "Resident memory";

    private final BenchOptions options;
    private final BenchPki pki;
    private final Path dir;
    private final Report report;

    LoadPhase(BenchOptions options, BenchPki pki, Path dir, Report report) {
        this.options = options;
        this.pki = pki;
        this.dir = dir;
        this.report = report;
    }

    /** One started target with its clients. */
    private record Running(Target target, HttpClient user, HttpClient admin) {}

    void run() throws Exception {
        for (AuditLevel audit : options.audits()) {
            List<Running> running = new ArrayList<>();
            try {
                startAll(audit, running);
                if (running.isEmpty()) {
                    continue;
                }
                measure(audit, running);
            } finally {
                for (Running r : running) {
                    try {
                        r.target().close();
                    } catch (RuntimeException e) {
                        report.note(r.target().name() + " did not stop cleanly: " + e.getMessage());
                    }
                }
            }
        }
    }

    private void startAll(AuditLevel audit, List<Running> running) throws Exception {
        Path here = dir.resolve(audit.level());
        for (String name : options.targets()) {
            Target target;
            try {
                target = switch (name) {
                    case Report.FAKE_JVM -> FakeJvmTarget.start(pki, here.resolve("fake-jvm"), audit);
                    case Report.FAKE_PROCESS ->
                        FakeProcessTarget.start(
                                options.fakeJar(),
                                pki.fakeCertDir(here.resolve("fake-process/pki")),
                                pki,
                                here.resolve("fake-process"),
                                audit,
                                options.startTimeout());
                    case Report.REFERENCE -> {
                        var bin = ReferenceTarget.binDir();
                        if (bin.isEmpty()) {
                            report.note("reference not measured: no binaries (KUBETWIN_REFERENCE_BIN or "
                                    + "ci/reference/build-reference.sh)");
                            yield null;
                        }
                        yield ReferenceTarget.start(
                                bin.get(), pki, here.resolve("reference"), audit, options.startTimeout());
                    }
                    case Report.CEILING -> audit.on() ? null : CeilingTarget.start(pki);
                    default -> throw new IllegalArgumentException(name);
                };
            } catch (Exception e) {
                report.note(name + " (audit " + audit + ") not measured: " + e.getMessage());
                continue;
            }
            if (target == null) {
                continue;
            }
            Running r = new Running(target, client(pki.userContext()), client(pki.adminContext()));
            if (!(target instanceof CeilingTarget)) {
                try {
                    new Fixtures(r.admin(), target.url()).seed();
                } catch (Exception | Error e) {
                    report.note(name + " (audit " + audit + ") not measured: seeding failed: " + e.getMessage());
                    target.close();
                    continue;
                }
                memory(r, "idle, after seeding 1,100 ConfigMaps", audit);
            }
            running.add(r);
        }
        // the ceiling answers what the fake answers, byte for byte in size
        Running fake = running.stream()
                .filter(r -> r.target().name().startsWith("fake"))
                .findFirst()
                .orElse(null);
        for (Running r : running) {
            if (r.target() instanceof CeilingTarget ceiling) {
                if (fake == null) {
                    report.note("the ceiling answers {} everywhere: no fake target to copy the body sizes from");
                    continue;
                }
                for (String op : requestOperations()) {
                    Operation operation = Operations.of(op, "sample");
                    byte[] body = Fixtures.sampleBody(fake.user(), fake.target().url(), operation);
                    ceiling.answer(operation.path(), operation.expectedStatus(), body);
                }
            }
        }
    }

    private List<String> requestOperations() {
        return options.operations().stream()
                .filter(o -> !o.equals(Operations.WATCH))
                .toList();
    }

    private void measure(AuditLevel audit, List<Running> running) throws Exception {
        LoadSpec base = new LoadSpec(options.warmup(), options.measure(), options.maxRequests(), 1);
        // key: operation, concurrency, target -> per run: rate, p50, p99
        Map<List<Object>, List<LoadResult>> results = new LinkedHashMap<>();
        for (int round = 0; round < options.runs(); round++) {
            for (String op : options.operations()) {
                for (int c : options.concurrency()) {
                    for (Running r : running) {
                        if (op.equals(Operations.WATCH) && r.target() instanceof CeilingTarget) {
                            continue;
                        }
                        String runId = audit.level().toLowerCase() + "-" + round + "-" + c;
                        LoadSpec spec = base.withConcurrency(c);
                        LoadResult result = op.equals(Operations.WATCH)
                                ? WatchFanOut.run(r.user(), r.target().url(), options.watchers(), spec, runId)
                                : new LoadGenerator(r.user(), r.target().url()).run(Operations.of(op, runId), spec);
                        results.computeIfAbsent(List.of(op, c, r.target().name()), k -> new ArrayList<>())
                                .add(result);
                        BenchMain.log(String.format(
                                java.util.Locale.ROOT,
                                "audit %s round %d %s c=%d %s: %.0f/s p50 %.2f ms p99 %.2f ms errors %d",
                                audit,
                                round + 1,
                                op,
                                c,
                                r.target().name(),
                                result.perSecond(),
                                result.p50Millis(),
                                result.p99Millis(),
                                result.errors()));
                        if (result.firstError() != null) {
                            report.note(op + " at concurrency " + c + " on "
                                    + r.target().name() + " (audit " + audit
                                    + "), round " + (round + 1) + ": " + result.errors() + " errors, first: "
                                    + result.firstError());
                        }
                    }
                }
            }
        }
        results.forEach((key, runs) -> {
            String op = (String) key.get(0);
            int c = (Integer) key.get(1);
            String target = (String) key.get(2);
            // the fan-out's latencies are those of its writes, not of the deliveries
            boolean watch = op.equals(Operations.WATCH);
            add(op, watch ? "events/s" : "req/s", target, c, audit, runs, LoadResult::perSecond);
            add(op, watch ? "write p50 ms" : "p50 ms", target, c, audit, runs, LoadResult::p50Millis);
            add(op, watch ? "write p99 ms" : "p99 ms", target, c, audit, runs, LoadResult::p99Millis);
        });
        for (Running r : running) {
            memory(r, "after the load", audit);
        }
    }

    private void add(
            String op,
            String unit,
            String target,
            int c,
            AuditLevel audit,
            List<LoadResult> runs,
            java.util.function.ToDoubleFunction<LoadResult> figure) {
        List<Double> values = runs.stream().map(figure::applyAsDouble).toList();
        report.add(new Figure(Plots.LATENCY_SECTION, op, unit, target, c, audit.level(), Summary.of(values)));
    }

    private void memory(Running r, String when, AuditLevel audit) {
        double mib = Processes.residentMib(r.target().pids());
        if (!Double.isNaN(mib)) {
            report.add(new Figure(
                    MEMORY_SECTION, when, "MiB", r.target().name(), 0, audit.level(), Summary.of(List.of(mib))));
        }
    }

    static HttpClient client(SSLContext tls) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }
}
