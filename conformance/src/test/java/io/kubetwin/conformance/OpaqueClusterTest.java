package io.kubetwin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubetwin.scenarios.model.ServerConfig;
import io.kubetwin.scenarios.model.SuiteLoader;
import io.kubetwin.scenarios.runner.StepOutcome;
import io.kubetwin.scenarios.runner.SuiteRunner;
import io.kubetwin.scenarios.target.ClusterSpec;
import io.kubetwin.scenarios.target.KubeconfigTarget;
import io.kubetwin.scenarios.target.ReferenceTarget;
import io.kubetwin.scenarios.target.Targets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code kubeconfig} target as a user meets it: the reference kube-apiserver v1.34.4 (with its controller
 * manager) started as an opaque cluster, of which the runner gets only the admin kubeconfig. Every suite runs
 * through it: actors are provisioned through the CSR API, suites and steps that need server flags, the client CA's
 * key or the audit log are reported as not applicable with the reason, and every step that runs must pass, that
 * is, answer as the suite recorded from the reference. Runs where the reference target is selected (CI);
 * {@code target/conformance/kubeconfig-target.md} lists each suite's outcome.
 */
class OpaqueClusterTest {

    /** The runner's words for what a kubeconfig cannot give (flags, the audit log, the CA key, a kubelet), and pending steps. */
    private static final Pattern NOT_APPLICABLE =
            Pattern.compile("^(not applicable|kubeconfig lacks|pending:|kubectl unavailable)");

    @Test
    void everySuiteRunsOrIsNotApplicableThroughAnAdminKubeconfig() throws Exception {
        assumeTrue(
                Targets.selectedNames().contains("reference"),
                "the opaque-cluster run goes with the reference target (-Dkubetwin.targets=...,reference)");
        var reference = new ReferenceTarget();
        assumeTrue(
                reference.unavailableReason().isEmpty(),
                () -> reference.unavailableReason().orElse(""));
        Path out = Path.of(System.getProperty("kubetwin.conformance.dir", "target/conformance"));
        Path work = out.resolve("work/kubeconfig-target");
        Files.createDirectories(work);
        var suites = new SuiteLoader()
                .loadAll(Path.of(OpaqueClusterTest.class.getResource("/suites").toURI()));
        var lines = new ArrayList<String>(List.of(
                "# The kubeconfig target on an opaque reference cluster",
                "",
                "| suite | passed | not applicable | failed |",
                "| --- | --- | --- | --- |"));
        var failures = new ArrayList<String>();
        int passed = 0;
        try (var cluster = reference.start(
                new ClusterSpec("opaque-cluster", ServerConfig.DEFAULT, null, work.resolve("cluster")))) {
            Path kubeconfig = work.resolve("admin.kubeconfig");
            cluster.admin().write(kubeconfig);
            var target = new KubeconfigTarget(kubeconfig);
            var runner = new SuiteRunner(work.resolve("runs"));
            for (var suite : suites) {
                var result = runner.run(suite, target);
                int ok = 0, skipped = 0, failed = 0;
                for (var step : result.steps()) {
                    if (step.outcome() instanceof StepOutcome.Passed) {
                        ok++;
                    } else if (step.outcome() instanceof StepOutcome.Failed f) {
                        failed++;
                        failures.add(
                                suite.name() + " / " + step.step().name() + ": " + String.join("; ", f.failures()));
                    } else if (step.outcome() instanceof StepOutcome.Skipped s) {
                        skipped++;
                        if (!NOT_APPLICABLE.matcher(s.reason()).find()) {
                            failures.add(suite.name() + " / " + step.step().name() + " skipped for another reason: "
                                    + s.reason());
                        }
                    }
                }
                if (result.setupError() != null) {
                    failures.add(suite.name() + ": setup failed: " + result.setupError());
                }
                passed += ok;
                lines.add("| " + suite.name() + " | " + ok + " | " + skipped + " | " + failed + " |");
            }
        }
        Files.write(out.resolve("kubeconfig-target.md"), lines);
        System.out.println("conformance: kubeconfig target on an opaque reference: " + passed + " steps passed, "
                + failures.size() + " failed; " + out.resolve("kubeconfig-target.md"));
        assertEquals(List.of(), failures);
        assertTrue(passed > 0, "no step ran through the kubeconfig target");
    }
}
