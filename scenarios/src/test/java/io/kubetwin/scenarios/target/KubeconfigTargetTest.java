package io.kubetwin.scenarios.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubetwin.client.ApiClient;
import io.kubetwin.scenarios.model.ServerConfig;
import io.kubetwin.scenarios.model.SuiteLoader;
import io.kubetwin.scenarios.runner.StepOutcome;
import io.kubetwin.scenarios.runner.SuiteRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubeconfig target against a real cluster (the reference, reached only through its admin kubeconfig):
 * actors come from the CSR API, suites needing server flags are not applicable, setup objects are cleaned up.
 */
class KubeconfigTargetTest {

    private static final String SUITE = """
            name: through-kubeconfig
            actors:
              - {name: mynewuser, kind: certificate, user: mynewuser, groups: [company]}
              - {name: expired, kind: certificate, user: old, certificate: {validity: expired}}
            setup:
              - {apiVersion: v1, kind: Namespace, metadata: {name: kubeconfig-target}}
            steps:
              - name: whoami through a CSR-issued certificate
                as: mynewuser
                request:
                  method: POST
                  path: /apis/authentication.k8s.io/v1/selfsubjectreviews
                  body: {apiVersion: authentication.k8s.io/v1, kind: SelfSubjectReview}
                expect:
                  status: 201
                  json: {/status/userInfo/groups: [company, system:authenticated]}
              - name: an expired certificate cannot be made without the CA key
                as: expired
                request: {path: /version}
              - name: audit needs the log
                request: {path: /version}
                expect: {audit: {must: [{verb: get}]}}
            """;

    @Test
    void runsASuiteOnAnExistingCluster(@TempDir Path dir) throws Exception {
        var reference = new ReferenceTarget();
        assumeTrue(
                reference.unavailableReason().isEmpty(),
                () -> reference.unavailableReason().orElse(""));
        try (var cluster =
                reference.start(new ClusterSpec("kubeconfig-host", ServerConfig.DEFAULT, null, dir.resolve("ref")))) {
            var file = dir.resolve("admin.kubeconfig");
            cluster.admin().write(file);
            var target = new KubeconfigTarget(file);
            var suite = new SuiteLoader().parse(SUITE);
            var result = new SuiteRunner(dir.resolve("work")).run(suite, target);
            assertEquals(
                    List.of("PASSED", "SKIPPED", "SKIPPED"),
                    result.steps().stream().map(s -> s.outcome().label()).toList(),
                    () -> result.steps().toString());
            assertEquals(
                    "not applicable: a expired certificate needs the client CA's key, which kubeconfig does not hand out",
                    ((StepOutcome.Skipped) result.steps().get(1).outcome()).reason());
            assertEquals(
                    "not applicable on kubeconfig: lacks auditLog",
                    ((StepOutcome.Skipped) result.steps().get(2).outcome()).reason());
            var admin = ApiClient.of(cluster.admin());
            var deadline = System.nanoTime() + 60_000_000_000L;
            int status;
            do {
                status = admin.get("/api/v1/namespaces/kubeconfig-target").code();
            } while (status != 404 && System.nanoTime() < deadline && sleep());
            assertEquals(404, status, "setup objects are deleted on a shared cluster");
        }
    }

    private static boolean sleep() {
        try {
            Thread.sleep(500);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
