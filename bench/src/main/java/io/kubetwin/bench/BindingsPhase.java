package io.kubetwin.bench;

import io.kubetwin.bench.load.Fixtures;
import io.kubetwin.bench.load.LoadGenerator;
import io.kubetwin.bench.load.LoadResult;
import io.kubetwin.bench.load.LoadSpec;
import io.kubetwin.bench.load.Operation;
import io.kubetwin.bench.report.Figure;
import io.kubetwin.bench.report.Plots;
import io.kubetwin.bench.report.Report;
import io.kubetwin.bench.report.Summary;
import io.kubetwin.bench.target.AuditLevel;
import io.kubetwin.bench.target.BenchPki;
import io.kubetwin.bench.target.FakeJvmTarget;
import io.kubetwin.bench.target.FakeProcessTarget;
import io.kubetwin.bench.target.ReferenceTarget;
import io.kubetwin.bench.target.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Authorization cost as bindings grow: on a fresh apiserver target (audit off), RoleBindings in the request's
 * namespace, or (on another fresh target) ClusterRoleBindings, for other users are added until there are 10, 1,000,
 * 10,000 (50,000 with {@code bigBindings}); at each count the bench user (allowed by its own RoleBinding) GETs one
 * ConfigMap at concurrency 1, and the time to create the bindings so far is printed. The reference's RBAC walks the
 * bindings on every request, so this is the decision time plus a constant.
 */
final class BindingsPhase {
    private final BenchOptions options;
    private final BenchPki pki;
    private final Path dir;
    private final Report report;

    BindingsPhase(BenchOptions options, BenchPki pki, Path dir, Report report) {
        this.options = options;
        this.pki = pki;
        this.dir = dir;
        this.report = report;
    }

    void run() {
        // a fresh target per kind: the ClusterRoleBindings are measured without the RoleBindings, and the reverse
        for (boolean cluster : new boolean[] {false, true}) {
            for (String name : options.targets()) {
                if (name.equals(Report.CEILING)) {
                    continue;
                }
                try (Target target = start(name, cluster)) {
                    if (target != null) {
                        measure(target, cluster);
                    }
                } catch (Exception e) {
                    report.note(kind(cluster) + " on " + name + " not measured: " + e.getMessage());
                }
            }
        }
    }

    private static String kind(boolean cluster) {
        return cluster ? "ClusterRoleBindings" : "RoleBindings";
    }

    private Target start(String name, boolean cluster) throws Exception {
        Path here = dir.resolve(kind(cluster)).resolve(name);
        return switch (name) {
            case Report.FAKE_JVM -> FakeJvmTarget.start(pki, here, AuditLevel.OFF);
            case Report.FAKE_PROCESS ->
                FakeProcessTarget.start(
                        options.fakeJar(),
                        pki.fakeCertDir(here.resolve("pki")),
                        pki,
                        here,
                        AuditLevel.OFF,
                        options.startTimeout());
            case Report.REFERENCE -> {
                var bin = ReferenceTarget.binDir();
                yield bin.isEmpty()
                        ? null
                        : ReferenceTarget.start(bin.get(), pki, here, AuditLevel.OFF, options.startTimeout());
            }
            default -> null;
        };
    }

    private void measure(Target target, boolean cluster) throws Exception {
        HttpClient admin = LoadPhase.client(pki.adminContext());
        HttpClient user = LoadPhase.client(pki.userContext());
        Fixtures fixtures = new Fixtures(admin, target.url());
        fixtures.seedBindingsNamespace();
        String path = Fixtures.configMapPath(Fixtures.NS_BINDINGS, "cm-0");
        Operation get = new Operation(
                "GET",
                path,
                200,
                (url, seq) -> HttpRequest.newBuilder(URI.create(url + path))
                        .header("Accept", "application/json")
                        .build());
        long deadline = System.nanoTime() + options.bindingsTimeout().toNanos();
        int have = 0;
        double createSeconds = 0;
        for (int count : options.bindings()) {
            long began = System.nanoTime();
            int created = fixtures.createBindings(cluster, have, count, deadline);
            createSeconds += (System.nanoTime() - began) / 1e9;
            have += created;
            if (have < count) {
                report.note(target.name() + ": stopped at " + have + " " + kind(cluster) + ", the bindings time limit ("
                        + options.bindingsTimeout().toSeconds() + " s) was reached");
                break;
            }
            List<Double> p50 = new ArrayList<>();
            List<Double> rate = new ArrayList<>();
            for (int run = 0; run < options.runs(); run++) {
                LoadResult r = new LoadGenerator(user, target.url())
                        .run(get, new LoadSpec(options.warmup(), options.measure(), options.maxRequests(), 1));
                p50.add(r.p50Millis());
                rate.add(r.perSecond());
                if (r.firstError() != null) {
                    report.note("bindings " + count + " on " + target.name() + ": " + r.firstError());
                }
            }
            String row = String.format(Locale.ROOT, "%,d %s", count, kind(cluster));
            add(row, "p50 ms", target, Summary.of(p50));
            add(row, "req/s", target, Summary.of(rate));
            add(row, "s to create", target, Summary.of(List.of(createSeconds)));
            BenchMain.log("bindings " + row + " " + target.name() + ": p50 "
                    + Summary.of(p50).format() + " ms, created in " + Summary.number(createSeconds) + " s");
        }
        // the check that the user's request was authorized by its binding and not by accident
        HttpResponse<Void> check = user.send(get.request(target.url(), 0), HttpResponse.BodyHandlers.discarding());
        if (check.statusCode() != 200) {
            report.note("bindings on " + target.name() + ": the user's GET answered " + check.statusCode());
        }
    }

    private void add(String row, String unit, Target target, Summary value) {
        report.add(new Figure(Plots.BINDINGS_SECTION, row, unit, target.name(), 0, "", value));
    }
}
