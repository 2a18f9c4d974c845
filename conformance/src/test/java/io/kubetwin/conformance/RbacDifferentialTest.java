package io.kubetwin.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.client.ApiClient;
import io.kubetwin.scenarios.differential.DifferentialRunner;
import io.kubetwin.scenarios.model.ServerConfig;
import io.kubetwin.scenarios.target.ClusterSpec;
import io.kubetwin.scenarios.target.RunningCluster;
import io.kubetwin.scenarios.target.Target;
import io.kubetwin.scenarios.target.Targets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Random RBAC worlds and random access questions, asked of two targets (by default the reference and the fake,
 * when both are selected; {@code kubetwin.differential.targets} overrides, e.g. {@code reference,reference} to
 * check the harness itself). {@code kubetwin.differential.decisions} questions (at least 10,000 in CI), seed
 * {@code kubetwin.differential.seed} or a fresh one, always printed.
 */
class RbacDifferentialTest {

    @Test
    void everyDecisionAgrees() throws Exception {
        var names = pair();
        Assumptions.assumeTrue(
                names != null,
                "differential RBAC needs two targets (selected: " + Targets.selectedNames()
                        + "; it compares reference and fake)");
        var pending = System.getProperty("kubetwin.differential.fake.pending", "");
        Assumptions.assumeTrue(!names.contains("fake") || pending.isBlank(), () -> "pending on fake: " + pending);
        var targets = names.stream().map(Targets::byName).toList();
        for (var t : targets) {
            Assumptions.assumeTrue(
                    t.unavailableReason().isEmpty(),
                    () -> "target " + t.name() + " unavailable: "
                            + t.unavailableReason().orElse(""));
        }
        var decisions = Integer.getInteger("kubetwin.differential.decisions", 10_000);
        var seedProperty = System.getProperty("kubetwin.differential.seed", "");
        long seed = seedProperty.isBlank() ? System.nanoTime() : Long.parseLong(seedProperty.trim());
        System.out.printf(
                "differential: seed=%d decisions=%d targets=%s (replay: -Dkubetwin.differential.seed=%d"
                        + " -Dkubetwin.differential.decisions=%d)%n",
                seed, decisions, names, seed, decisions);
        var outDir = Path.of(System.getProperty("kubetwin.conformance.dir", "target/conformance"));
        Files.createDirectories(outDir.resolve("work"));
        var clusters = new ArrayList<RunningCluster>();
        try {
            for (Target t : targets) {
                var dir = Files.createTempDirectory(outDir.resolve("work"), "differential-" + t.name() + "-");
                clusters.add(
                        t.start(new ClusterSpec("differential", ServerConfig.DEFAULT, null, dir.resolve("cluster"))));
            }
            var runner = new DifferentialRunner(
                    ApiClient.of(clusters.get(0).admin()),
                    ApiClient.of(clusters.get(1).admin()),
                    32);
            var result = runner.run(seed, decisions, 0.15);
            var report = new StringBuilder("# Differential RBAC\n\nseed ")
                    .append(seed)
                    .append(", ")
                    .append(result.decisions())
                    .append(" SubjectAccessReviews and ")
                    .append(result.realRequests())
                    .append(" real impersonated requests, ")
                    .append(names.get(0))
                    .append(" (a) vs ")
                    .append(names.get(1))
                    .append(" (b), ")
                    .append(result.millis() / 1000.0)
                    .append(" s. Mismatches: ")
                    .append(result.mismatches().size())
                    .append(". Allow reasons that differed but that ")
                    .append(names.get(0))
                    .append(" or ")
                    .append(names.get(1))
                    .append(
                            " itself also gives for the same question (upstream picks among matching bindings in cache order): ")
                    .append(result.ambiguousReasons())
                    .append("\n\n");
            result.mismatches().stream()
                    .limit(200)
                    .forEach(m -> report.append("- ")
                            .append(m.world())
                            .append(" #")
                            .append(m.question())
                            .append(' ')
                            .append(m.what())
                            .append(": `")
                            .append(m.request())
                            .append("`\n  - a: `")
                            .append(m.a())
                            .append("`\n  - b: `")
                            .append(m.b())
                            .append("`\n"));
            Files.writeString(outDir.resolve("differential-rbac.md"), report);
            System.out.printf(
                    "differential: %d decisions, %d real requests, %d mismatches, %d ambiguous allow reasons,"
                            + " in %.1f s (seed %d)%n",
                    result.decisions(),
                    result.realRequests(),
                    result.mismatches().size(),
                    result.ambiguousReasons(),
                    result.millis() / 1000.0,
                    seed);
            assertTrue(
                    result.mismatches().isEmpty(),
                    () -> result.mismatches().size() + " mismatches (seed " + seed + "), first: "
                            + result.mismatches().get(0) + "; see " + outDir.resolve("differential-rbac.md"));
        } finally {
            clusters.forEach(c -> c.close());
        }
    }

    private static List<String> pair() {
        var explicit = System.getProperty("kubetwin.differential.targets", "");
        if (!explicit.isBlank()) {
            var names = List.of(explicit.split(",")).stream().map(String::trim).toList();
            return names.size() == 2 ? names : null;
        }
        var selected = Targets.selectedNames();
        return selected.contains("reference") && selected.contains("fake") ? List.of("reference", "fake") : null;
    }
}
