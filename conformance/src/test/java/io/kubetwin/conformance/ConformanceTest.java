package io.kubetwin.conformance;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.kubetwin.scenarios.compare.TargetComparison;
import io.kubetwin.scenarios.model.Suite;
import io.kubetwin.scenarios.model.SuiteLoader;
import io.kubetwin.scenarios.runner.StepOutcome;
import io.kubetwin.scenarios.runner.SuiteResult;
import io.kubetwin.scenarios.runner.SuiteRunner;
import io.kubetwin.scenarios.target.Target;
import io.kubetwin.scenarios.target.Targets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every suite under {@code src/test/resources/suites} on every selected target ({@code kubetwin.targets}, default
 * {@code fake}): one dynamic test per suite × target × step, then one per step comparing each target with the
 * baseline (the reference when selected). Reports go to {@code target/conformance/}. {@code kubetwin.suites}
 * (comma-separated names, {@code *} wildcards) runs only some suites.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConformanceTest {

    private final List<Target> targets =
            Targets.selectedNames().stream().map(Targets::byName).toList();
    private final Path outDir = Path.of(System.getProperty("kubetwin.conformance.dir", "target/conformance"));
    private final KnownDivergences known =
            KnownDivergences.load(Path.of(System.getProperty("kubetwin.known.divergences", "known-divergences.yaml")));
    private final ConformanceReport report =
            new ConformanceReport(targets.stream().map(Target::name).toList(), known);
    private final SuiteRunner runner = new SuiteRunner(outDir.resolve("work"));

    @TestFactory
    Stream<DynamicNode> suites() throws Exception {
        for (var target : targets) {
            target.unavailableReason().ifPresent(r -> report.note("target " + target.name() + " unavailable: " + r));
        }
        // the store's own comparison (fake-etcd module, run earlier in the build) is reported beside the suites'
        report.note(EtcdctlComparison.summary(Path.of(
                System.getProperty("kubetwin.etcdctl.comparison", "../fake-etcd/target/etcdctl-comparison.md"))));
        var dir = Path.of(ConformanceTest.class.getResource("/suites").toURI());
        var filter = System.getProperty("kubetwin.suites", "");
        var suites = new SuiteLoader()
                .loadAll(dir).stream().filter(s -> selected(filter, s.name())).toList();
        return suites.stream()
                .map(suite -> dynamicContainer(suite.name(), Stream.of(suite).flatMap(this::run)));
    }

    private Stream<DynamicNode> run(Suite suite) {
        var results = new LinkedHashMap<String, SuiteResult>();
        for (var target : targets) {
            // kubetwin.suites.TARGET narrows the suites of one target (the rest are skipped on it with the reason)
            var only = System.getProperty("kubetwin.suites." + target.name(), "");
            var result = runner.run(
                    suite,
                    selected(only, suite.name())
                            ? target
                            : new Targets.UnavailableTarget(
                                    target.name(), "suite not in kubetwin.suites." + target.name() + "=" + only));
            results.put(target.name(), result);
            report.add(result);
            System.out.printf(
                    "conformance: %-40s %-10s %6.1f s  %s%n",
                    suite.name(), target.name(), result.millis() / 1000.0, summary(result));
        }
        var nodes = new ArrayList<DynamicNode>();
        for (var entry : results.entrySet()) {
            var result = entry.getValue();
            nodes.add(dynamicContainer(
                    entry.getKey(),
                    result.steps().stream()
                            .map(step -> dynamicTest(step.step().name(), () -> {
                                if (step.outcome() instanceof StepOutcome.Skipped s) {
                                    Assumptions.abort(s.reason());
                                }
                                if (step.outcome() instanceof StepOutcome.Failed f) {
                                    Assertions.fail(String.join("\n", f.failures()));
                                }
                            }))));
        }
        nodes.addAll(comparisons(suite, results));
        return nodes.stream();
    }

    private List<DynamicNode> comparisons(Suite suite, Map<String, SuiteResult> results) {
        if (results.size() < 2) {
            return List.of();
        }
        var baselineName = results.containsKey("reference")
                ? "reference"
                : results.keySet().iterator().next();
        var baseline = results.get(baselineName);
        var nodes = new ArrayList<DynamicNode>();
        for (var entry : results.entrySet()) {
            if (entry.getKey().equals(baselineName)) {
                continue;
            }
            var judged = report.addDifferences(suite.name(), TargetComparison.compare(baseline, entry.getValue()));
            var tests = suite.steps().stream()
                    .map(step -> dynamicTest(step.name(), () -> {
                        var a = baseline.step(step.name());
                        var b = entry.getValue().step(step.name());
                        if (a == null || b == null || a.observation() == null || b.observation() == null) {
                            Assumptions.abort("not run on both " + baselineName + " and " + entry.getKey());
                        }
                        var failing = judged.stream()
                                .filter(j -> j.difference().step().equals(step.name()) && j.accepted() == null)
                                .map(j -> j.difference().field() + ": expected "
                                        + j.difference().expected() + ", actual "
                                        + j.difference().actual())
                                .toList();
                        if (!failing.isEmpty()) {
                            Assertions.fail(entry.getKey() + " differs from " + baselineName + ":\n"
                                    + String.join("\n", failing));
                        }
                    }));
            nodes.add(dynamicContainer(entry.getKey() + " vs " + baselineName, tests));
        }
        return nodes;
    }

    /** Whether a comma-separated list of names with {@code *} wildcards (all when blank) selects {@code name}. */
    private static boolean selected(String filter, String name) {
        return filter.isBlank()
                || Arrays.stream(filter.split(","))
                        .anyMatch(f -> name.matches(f.trim().replace("*", ".*")));
    }

    private static String summary(SuiteResult result) {
        int passed = 0, failed = 0, skipped = 0;
        for (var s : result.steps()) {
            if (s.outcome() instanceof StepOutcome.Passed) {
                passed++;
            } else if (s.outcome() instanceof StepOutcome.Failed) {
                failed++;
            } else {
                skipped++;
            }
        }
        return passed + " passed, " + failed + " failed, " + skipped + " skipped"
                + (result.setupError() != null
                        ? " (" + result.setupError().lines().findFirst().orElse("") + ")"
                        : "");
    }

    @AfterAll
    void writeReport() {
        report.write(outDir);
        System.out.println(
                "conformance: report written to " + outDir.toAbsolutePath().resolve("report.md"));
    }
}
